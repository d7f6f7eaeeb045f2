#include "saved_view_model.h"

#include <QSettings>

namespace leadkeeper {

SavedViewModel::SavedViewModel(QObject *parent) : QAbstractListModel(parent)
{
    load();
}

int SavedViewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_views.size());
}

QVariant SavedViewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const View &v = m_views.at(index.row());
    if (role == Qt::DisplayRole)
        return v.name;
    if (role == SpecRole)
        return v.spec;
    return {};
}

QVariantMap SavedViewModel::specAt(int row) const
{
    return row >= 0 && row < m_views.size() ? m_views.at(row).spec : QVariantMap();
}

int SavedViewModel::saveView(const QString &name, const QVariantMap &spec)
{
    for (int row = 0; row < m_views.size(); ++row) {
        if (m_views.at(row).name == name) {
            m_views[row].spec = spec;
            Q_EMIT dataChanged(index(row), index(row));
            save();
            return row;
        }
    }
    const int row = int(m_views.size());
    beginInsertRows({}, row, row);
    m_views << View{name, spec};
    endInsertRows();
    save();
    return row;
}

void SavedViewModel::removeView(int row)
{
    if (row < 0 || row >= m_views.size())
        return;
    beginRemoveRows({}, row, row);
    m_views.removeAt(row);
    endRemoveRows();
    save();
}

void SavedViewModel::load()
{
    QSettings settings;
    if (!settings.contains(QStringLiteral("desk/savedViewsWritten"))) {
        m_views << View{tr("Today's errors"),
                        {{QStringLiteral("statuses"), QStringList{statusKey(LeadStatus::Error)}},
                         {QStringLiteral("period"), QStringLiteral("today")}}};
        m_views << View{tr("Needs setup"),
                        {{QStringLiteral("statuses"),
                          QStringList{statusKey(LeadStatus::Unconfigured),
                                      statusKey(LeadStatus::Disabled)}}}};
        return;
    }
    const int n = settings.beginReadArray(QStringLiteral("desk/savedViews"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        m_views << View{settings.value(QStringLiteral("name")).toString(),
                        settings.value(QStringLiteral("spec")).toMap()};
    }
    settings.endArray();
}

void SavedViewModel::save() const
{
    QSettings settings;
    settings.remove(QStringLiteral("desk/savedViews"));
    settings.beginWriteArray(QStringLiteral("desk/savedViews"), int(m_views.size()));
    for (int i = 0; i < m_views.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), m_views.at(i).name);
        settings.setValue(QStringLiteral("spec"), m_views.at(i).spec);
    }
    settings.endArray();
    settings.setValue(QStringLiteral("desk/savedViewsWritten"), true);
}

DeskFilter SavedViewModel::toFilter(const QVariantMap &spec, const QDateTime &now)
{
    DeskFilter f;
    const QStringList statuses = spec.value(QStringLiteral("statuses")).toStringList();
    for (const QString &key : statuses) {
        if (const auto s = statusFromKey(key))
            f.statuses << *s;
    }
    f.source = sourceFromKey(spec.value(QStringLiteral("source")).toString());
    f.platform = spec.value(QStringLiteral("platform")).toString();
    f.pageId = spec.value(QStringLiteral("pageId")).toString();
    f.formId = spec.value(QStringLiteral("formId")).toString();
    const QString organic = spec.value(QStringLiteral("organic")).toString();
    if (organic == QLatin1String("yes") || organic == QLatin1String("no"))
        f.organic = organic == QLatin1String("yes");
    f.text = spec.value(QStringLiteral("text")).toString();

    // Periods are whole local days: [from, to).
    const QString period = spec.value(QStringLiteral("period")).toString();
    const QDate today = now.toLocalTime().date();
    std::optional<QDate> from;
    std::optional<QDate> to;
    if (period == QLatin1String("today")) {
        from = today;
    } else if (period == QLatin1String("yesterday")) {
        from = today.addDays(-1);
        to = today;
    } else if (period == QLatin1String("7d")) {
        from = today.addDays(-6);
    } else if (period == QLatin1String("30d")) {
        from = today.addDays(-29);
    } else if (period == QLatin1String("custom")) {
        const QDate a = QDate::fromString(spec.value(QStringLiteral("from")).toString(), Qt::ISODate);
        const QDate b = QDate::fromString(spec.value(QStringLiteral("to")).toString(), Qt::ISODate);
        if (a.isValid())
            from = a;
        if (b.isValid())
            to = b.addDays(1); // the last day is included
    }
    auto ms = [](const QDate &d) { return d.startOfDay().toMSecsSinceEpoch(); };
    const bool created = spec.value(QStringLiteral("periodOf")).toString() == QLatin1String("created");
    if (from)
        (created ? f.createdFromMs : f.receivedFromMs) = ms(*from);
    if (to)
        (created ? f.createdToMs : f.receivedToMs) = ms(*to);
    return f;
}

} // namespace leadkeeper
