#include "lead_log_model.h"

#include <QDateTime>

namespace leadkeeper {

namespace {

// The order of the lead log: newest received first, the id breaking ties.
bool isNewer(const LeadLogEntry &a, const LeadLogEntry &b)
{
    return a.receivedAtMs != b.receivedAtMs ? a.receivedAtMs > b.receivedAtMs : a.id > b.id;
}

bool sameValues(const LeadLogEntry &a, const LeadLogEntry &b)
{
    return a.updatedAtMs == b.updatedAtMs && a.status == b.status && a.deliveries == b.deliveries &&
           a.errorMessage == b.errorMessage && a.platform == b.platform && a.organic == b.organic &&
           a.createdAtMs == b.createdAtMs && a.pageId == b.pageId && a.formId == b.formId &&
           a.adId == b.adId && a.adgroupId == b.adgroupId && a.source == b.source &&
           a.attempts == b.attempts && a.nextAttemptAtMs == b.nextAttemptAtMs &&
           a.leadId == b.leadId && a.leadgenId == b.leadgenId;
}

} // namespace

LeadLogModel::LeadLogModel(Database database, int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_db(std::move(database)), m_store(m_db.sql()),
      m_capacity(qMax(1, capacity))
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LeadLogModel::refresh);
    connect(&m_watchTimer, &QTimer::timeout, this, &LeadLogModel::pollForChanges);
    refresh();
}

LeadLogModel::~LeadLogModel() = default;

int LeadLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int LeadLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LeadLogModel::formatTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch)
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString LeadLogModel::sourceLabel(LeadSource source)
{
    switch (source) {
    case LeadSource::Webhook:
        return tr("Webhook");
    case LeadSource::Import:
        return tr("Import");
    case LeadSource::Polling:
        return tr("Polling");
    case LeadSource::Api:
        return tr("API");
    }
    return {};
}

QString LeadLogModel::platformLabel(const QString &platform)
{
    if (platform == QLatin1String("facebook"))
        return tr("Facebook");
    if (platform == QLatin1String("instagram"))
        return tr("Instagram");
    return {}; // not known until the lead itself is fetched: an empty cell, not a scary word
}

QString LeadLogModel::displayText(const LeadLogEntry &e, int column) const
{
    switch (column) {
    case ReceivedColumn:
        return formatTime(e.receivedAtMs);
    case CreatedColumn:
        return e.createdAtMs ? formatTime(*e.createdAtMs) : QString();
    case StatusColumn:
        return statusLabel(e.status);
    case PageColumn:
        return e.pageId;
    case FormColumn:
        return e.formId;
    case AdColumn:
        return e.adId;
    case SourceColumn:
        return sourceLabel(e.source);
    case PlatformColumn:
        return platformLabel(e.platform);
    case OrganicColumn:
        return e.organic ? tr("Yes") : tr("No");
    case DeliveriesColumn:
        return QString::number(e.deliveries);
    // A table cell shows one line; the full message stays in the entry.
    case ErrorColumn:
        return e.errorMessage.simplified();
    }
    return {};
}

QVariant LeadLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LeadLogEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(e, index.column());
    case Qt::TextAlignmentRole:
        return static_cast<int>(
            Qt::AlignVCenter |
            (index.column() == DeliveriesColumn ? Qt::AlignRight : Qt::AlignLeft));
    case EntryIdRole:
        return e.id;
    case LeadgenIdRole:
        return e.leadgenId;
    case StatusRole:
        return int(e.status);
    case ReceivedAtRole:
        return e.receivedAtMs;
    default:
        return {};
    }
}

QVariant LeadLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ReceivedColumn:
            return tr("Received");
        case CreatedColumn:
            return tr("Submitted");
        case StatusColumn:
            return tr("Status");
        case PageColumn:
            return tr("Page");
        case FormColumn:
            return tr("Form");
        case AdColumn:
            return tr("Ad");
        case SourceColumn:
            return tr("Source");
        case PlatformColumn:
            return tr("Platform");
        case OrganicColumn:
            return tr("Organic");
        case DeliveriesColumn:
            return tr("Deliveries");
        case ErrorColumn:
            return tr("Error");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case ReceivedColumn:
            return tr("When Leadkeeper stored the lead (your local time).");
        case CreatedColumn:
            return tr("When the person submitted the form on Facebook or Instagram (your local "
                      "time).");
        case StatusColumn:
            return tr("Where the lead is: Pending, Processed, Error, ...");
        case PageColumn:
            return tr("The Facebook Page the lead came from (its Meta id).");
        case FormColumn:
            return tr("The lead form that was filled in (its Meta id).");
        case AdColumn:
            return tr("The ad that brought the lead (empty for organic leads).");
        case SourceColumn:
            return tr("How the lead reached Leadkeeper.");
        case PlatformColumn:
            return tr("Facebook or Instagram (known once the lead has been fetched from Meta).");
        case OrganicColumn:
            return tr("Yes when the lead came without an ad.");
        case DeliveriesColumn:
            return tr("How many times Meta sent this lead. Repeats are counted, never duplicated.");
        case ErrorColumn:
            return tr("Why the lead failed, and what to do about it.");
        }
    }
    return {};
}

QHash<int, QByteArray> LeadLogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EntryIdRole, "entryId");
    names.insert(LeadgenIdRole, "leadgenId");
    names.insert(StatusRole, "status");
    names.insert(ReceivedAtRole, "receivedAt");
    return names;
}

bool LeadLogModel::refresh()
{
    m_refreshTimer.stop();
    m_sinceRefresh.start();
    // Absorb the data version first: a commit after this point shows up at the next poll, one
    // before it is in the rows read below, so a poll right after this refresh finds nothing new.
    m_db.changedElsewhere();

    LeadLogFilter filter;
    filter.limit = m_capacity;
    QString error;
    auto fresh = m_store.list(filter, &error);
    if (!fresh) {
        m_lastError = error;
        Q_EMIT refreshed(false);
        return false;
    }
    m_lastError.clear();
    merge(std::move(*fresh));
    Q_EMIT refreshed(true);
    return true;
}

void LeadLogModel::merge(QList<LeadLogEntry> fresh)
{
    for (LeadLogEntry &e : fresh) {
        // The table never shows payloads; a detail view reads them when it needs them.
        e.rawPayload.clear();
        e.leadPayload.clear();
        e.corrections.clear();
        e.fieldErrors.clear();
    }

    // Both lists are in lead log order, so one walk finds the unchanged, changed, new and gone
    // rows.
    qsizetype row = 0;
    qsizetype next = 0;
    while (next < fresh.size()) {
        if (row == m_entries.size() || isNewer(fresh.at(next), m_entries.at(row))) {
            qsizetype end = next + 1;
            while (end < fresh.size() &&
                   (row == m_entries.size() || isNewer(fresh.at(end), m_entries.at(row))))
                ++end;
            beginInsertRows({}, int(row), int(row + end - next - 1));
            m_entries.insert(row, end - next, LeadLogEntry{});
            std::move(fresh.begin() + next, fresh.begin() + end, m_entries.begin() + row);
            endInsertRows();
            row += end - next;
            next = end;
        } else if (isNewer(m_entries.at(row), fresh.at(next))) {
            qsizetype end = row + 1;
            while (end < m_entries.size() && isNewer(m_entries.at(end), fresh.at(next)))
                ++end;
            beginRemoveRows({}, int(row), int(end - 1));
            m_entries.remove(row, end - row);
            endRemoveRows();
        } else {
            // Same entry: runs of changed rows become one dataChanged each.
            qsizetype end = row;
            while (end < m_entries.size() && next < fresh.size() &&
                   m_entries.at(end).id == fresh.at(next).id &&
                   m_entries.at(end).receivedAtMs == fresh.at(next).receivedAtMs &&
                   !sameValues(m_entries.at(end), fresh.at(next))) {
                m_entries[end] = std::move(fresh[next]);
                ++end;
                ++next;
            }
            if (end > row) {
                Q_EMIT dataChanged(index(int(row), 0), index(int(end - 1), ColumnCount - 1));
                row = end;
            } else {
                ++row;
                ++next;
            }
        }
    }
    if (row < m_entries.size()) {
        beginRemoveRows({}, int(row), int(m_entries.size() - 1));
        m_entries.remove(row, m_entries.size() - row);
        endRemoveRows();
    }
}

std::optional<qint64> LeadLogModel::newestReceivedAt(LeadSource source) const
{
    for (const LeadLogEntry &e : m_entries) {
        if (e.source == source)
            return e.receivedAtMs; // rows are newest first
    }
    return std::nullopt;
}

std::optional<qint64> LeadLogModel::lastReceivedAt(LeadSource source)
{
    if (const auto held = newestReceivedAt(source))
        return held;
    if (m_entries.size() < m_capacity)
        return std::nullopt; // the whole log is held: there is none
    QString error;
    return m_store.lastReceivedAt(source, &error);
}

void LeadLogModel::requestRefresh()
{
    if (m_refreshTimer.isActive())
        return;
    const auto elapsed = std::chrono::milliseconds(
        m_sinceRefresh.isValid() ? m_sinceRefresh.elapsed() : kMinRefreshInterval.count());
    m_refreshTimer.start(elapsed >= kMinRefreshInterval ? std::chrono::milliseconds(0)
                                                        : kMinRefreshInterval - elapsed);
}

void LeadLogModel::startWatching(std::chrono::milliseconds interval)
{
    m_watchTimer.start(interval);
}

void LeadLogModel::stopWatching()
{
    m_watchTimer.stop();
}

void LeadLogModel::pollForChanges()
{
    if (m_db.changedElsewhere())
        requestRefresh();
}

} // namespace leadkeeper
