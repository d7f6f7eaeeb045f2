#pragma once

#include "store/lead_status.h"

#include <QAbstractListModel>
#include <QHash>

namespace leadkeeper {

/**
 * The status folders of the desk's sidebar: "All leads" and then one row per status (in
 * kAllStatuses order), each with its number of lead log entries.
 *
 * Contract: rows never change; setCounts() only changes numbers (dataChanged on the rows whose
 * number changed). Counts come from LeadLogModel::statusCounts(), i.e. from the status counters
 * the database keeps, so they cost nothing to refresh. GUI thread only.
 */
class StatusCountModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        StatusRole = Qt::UserRole + 1, ///< int (LeadStatus), or -1 for "All leads"
        CountRole,                     ///< qint64
    };

    explicit StatusCountModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setCounts(const QHash<LeadStatus, qint64> &counts);
    qint64 total() const;
    /// The row of a status, or 0 ("All leads") for none.
    static int rowOf(std::optional<LeadStatus> status);
    static std::optional<LeadStatus> statusAt(int row);

private:
    QHash<LeadStatus, qint64> m_counts;
};

} // namespace leadkeeper
