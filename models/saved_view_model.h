#pragma once

#include "store/lead_log_query.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QVariantMap>

namespace leadkeeper {

/**
 * The desk's saved views ("Today's errors"): a name and a filter spec, kept in QSettings under
 * desk/savedViews so they survive restarts and can be copied between desks.
 *
 * A spec is a QVariantMap with optional keys: statuses (list of status keys), source, platform,
 * pageId, formId, organic ("yes"/"no"), period ("today", "yesterday", "7d", "30d", "custom"),
 * periodOf ("received" or "created"), from / to (ISO dates, for "custom"), text. Periods are
 * relative ("today" means the day the view is opened), so toFilter() takes the current time.
 * Without saved views the list starts with built-in ones. GUI thread only; rows are names.
 */
class SavedViewModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { SpecRole = Qt::UserRole + 1 };

    explicit SavedViewModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// Adds the view, or replaces the one with the same name; saves. Returns its row.
    int saveView(const QString &name, const QVariantMap &spec);
    void removeView(int row);
    QVariantMap specAt(int row) const;

    /// The filter a spec means at `now` (local days for the periods).
    static DeskFilter toFilter(const QVariantMap &spec, const QDateTime &now);

private:
    void load();
    void save() const;

    struct View
    {
        QString name;
        QVariantMap spec;
    };
    QList<View> m_views;
};

} // namespace leadkeeper
