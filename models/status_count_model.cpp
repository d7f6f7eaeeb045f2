#include "status_count_model.h"

#include <QLocale>

namespace leadkeeper {

StatusCountModel::StatusCountModel(QObject *parent) : QAbstractListModel(parent) {}

int StatusCountModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(kAllStatuses.size()) + 1;
}

std::optional<LeadStatus> StatusCountModel::statusAt(int row)
{
    if (row <= 0 || row > int(kAllStatuses.size()))
        return std::nullopt;
    return kAllStatuses.at(row - 1);
}

int StatusCountModel::rowOf(std::optional<LeadStatus> status)
{
    if (!status)
        return 0;
    for (size_t i = 0; i < kAllStatuses.size(); ++i) {
        if (kAllStatuses.at(i) == *status)
            return int(i) + 1;
    }
    return 0;
}

qint64 StatusCountModel::total() const
{
    qint64 sum = 0;
    for (qint64 n : m_counts)
        sum += n;
    return sum;
}

QVariant StatusCountModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto status = statusAt(index.row());
    const qint64 count = status ? m_counts.value(*status) : total();
    switch (role) {
    case Qt::DisplayRole:
        return status ? statusLabel(*status) : tr("All leads");
    case Qt::ToolTipRole:
        return status ? tr("%1 leads with status %2").arg(QLocale().toString(count), statusLabel(*status))
                      : tr("%1 leads in all").arg(QLocale().toString(count));
    case StatusRole:
        return status ? int(*status) : -1;
    case CountRole:
        return count;
    default:
        return {};
    }
}

QHash<int, QByteArray> StatusCountModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(StatusRole, "status");
    names.insert(CountRole, "count");
    return names;
}

void StatusCountModel::setCounts(const QHash<LeadStatus, qint64> &counts)
{
    const QHash<LeadStatus, qint64> old = m_counts;
    m_counts = counts;
    bool any = false;
    for (int row = 1; row < rowCount(); ++row) {
        const LeadStatus s = *statusAt(row);
        if (old.value(s) != counts.value(s)) {
            any = true;
            Q_EMIT dataChanged(index(row), index(row));
        }
    }
    if (any)
        Q_EMIT dataChanged(index(0), index(0));
}

} // namespace leadkeeper
