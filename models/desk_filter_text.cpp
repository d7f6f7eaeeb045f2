#include "desk_filter_text.h"

#include "lead_log_model.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

#include <optional>

namespace leadkeeper {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeskFilterText", text);
}

QString day(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date().toString(Qt::ISODate);
}

// "received on 2025-11-22", "received from 2025-11-01 to 2025-11-07", "received since ...":
// `to` is exclusive, so the last day shown is the one before it.
QString period(const QString &verb, std::optional<qint64> fromMs, std::optional<qint64> toMs)
{
    if (fromMs && toMs) {
        const QString first = day(*fromMs);
        const QString last = day(*toMs - 1);
        return first == last ? tr("%1 on %2").arg(verb, first)
                             : tr("%1 from %2 to %3").arg(verb, first, last);
    }
    if (fromMs)
        return tr("%1 since %2").arg(verb, day(*fromMs));
    if (toMs)
        return tr("%1 until %2").arg(verb, day(*toMs - 1));
    return {};
}

// A page or form by its name where it has one, else by its Meta id.
QString named(const QHash<QString, QString> &names, const QString &id)
{
    const QString name = names.value(id);
    return name.isEmpty() ? id : name;
}

} // namespace

QString describeDeskFilter(const DeskFilter &f, const QHash<QString, QString> &pageNames,
                           const QHash<QString, QString> &formNames)
{
    QStringList statuses;
    for (LeadStatus s : f.statuses)
        statuses << statusLabel(s);
    QString subject = statuses.isEmpty() ? tr("leads") : tr("%1 leads").arg(statuses.join(tr(" or ")));
    if (f.isEmpty())
        subject = tr("all leads");
    if (!f.text.trimmed().isEmpty())
        subject += tr(" matching “%1”").arg(f.text.simplified());

    QStringList parts;
    if (!f.platform.isEmpty()) {
        const QString platform = LeadLogModel::platformLabel(f.platform);
        parts << (platform.isEmpty() ? tr("from an unknown platform") : tr("from %1").arg(platform));
    }
    if (f.organic)
        parts << (*f.organic ? tr("without an ad (organic)") : tr("from ads"));
    if (f.source)
        parts << tr("arrived by %1").arg(LeadLogModel::sourceLabel(*f.source));
    if (!f.pageId.isEmpty())
        parts << tr("of page %1").arg(named(pageNames, f.pageId));
    if (!f.formId.isEmpty())
        parts << tr("from form %1").arg(named(formNames, f.formId));
    for (const QString &p : {period(tr("received"), f.receivedFromMs, f.receivedToMs),
                             period(tr("submitted"), f.createdFromMs, f.createdToMs)})
        if (!p.isEmpty())
            parts << p;
    return parts.isEmpty() ? subject : subject + QLatin1Char(' ') + parts.join(QStringLiteral(", "));
}

} // namespace leadkeeper
