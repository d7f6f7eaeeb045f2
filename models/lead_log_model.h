#pragma once

#include "store/database.h"
#include "store/lead_log_entry.h"
#include "store/lead_log_store.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

#include <chrono>
#include <optional>

namespace leadkeeper {

/**
 * The newest entries of the lead log as a table, newest first (received time, then id).
 *
 * Contract:
 * - A row is one lead log entry (one leadgen id). At most capacity() rows are held: the newest.
 *   Columns are the Column enum. Every cell is plain text in Qt::DisplayRole (lead and staff text
 * is data: never HTML, never a tooltip); the custom roles give the typed values behind a row.
 * - The model lives in, and is only called from, the GUI thread. It reads through a LeadLogStore on
 *   a connection it owns, with one indexed `ORDER BY received_at DESC, id DESC LIMIT capacity`
 *   query that runs to the end at once (no partially stepped SELECT holds back WAL checkpoints).
 * - refresh() merges the fresh rows into the held ones: rows whose values changed get dataChanged,
 *   new rows are inserted where they belong (normally at the top) with one beginInsertRows per run,
 *   rows that left the window are removed. It never resets, so selections and persistent indexes
 *   stay on their entries.
 * - requestRefresh() coalesces bursts (a webhook flood) into at most one refresh per
 *   kMinRefreshInterval; startWatching() polls the store for commits by other connections (the
 *   listener thread, a `leadkeeper serve` on the same database) with PRAGMA data_version.
 */
class LeadLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        ReceivedColumn,
        CreatedColumn,
        StatusColumn,
        PageColumn,
        FormColumn,
        AdColumn,
        SourceColumn,
        PlatformColumn,
        OrganicColumn,
        DeliveriesColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        EntryIdRole = Qt::UserRole + 1, ///< qint64 lead log id
        LeadgenIdRole,                  ///< QString
        StatusRole,                     ///< int (LeadStatus)
        ReceivedAtRole,                 ///< qint64 ms since the epoch, UTC
    };

    static constexpr int kDefaultCapacity = 1000;
    static constexpr std::chrono::milliseconds kMinRefreshInterval{100};

    /// Takes over `database` (opened in this thread) and loads the newest `capacity` entries.
    explicit LeadLogModel(Database database, int capacity = kDefaultCapacity,
                          QObject *parent = nullptr);
    ~LeadLogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int capacity() const { return m_capacity; }
    /// The entry behind `row` (without its payloads, which the table does not show).
    const LeadLogEntry &entryAt(int row) const { return m_entries.at(row); }

    /// Re-reads the newest entries and merges them in. False (and lastError()) if the read failed;
    /// the rows held stay as they were.
    bool refresh();
    QString lastError() const { return m_lastError; }

    /// Newest received time among the rows held of an entry from `source`.
    std::optional<qint64> newestReceivedAt(LeadSource source) const;
    /// Same, but asks the store when the rows held have none and are not the whole log.
    std::optional<qint64> lastReceivedAt(LeadSource source);

    /// Polls for commits made by other connections every `interval` and refreshes when there are.
    void startWatching(std::chrono::milliseconds interval);
    void stopWatching();

    /// Formats a time the way every time cell shows it: local time, "yyyy-MM-dd HH:mm:ss".
    static QString formatTime(qint64 msSinceEpoch);
    static QString sourceLabel(LeadSource source);
    static QString platformLabel(const QString &platform);

public Q_SLOTS:
    /// Refreshes soon: on the next event-loop turn, or kMinRefreshInterval after the last refresh.
    void requestRefresh();

Q_SIGNALS:
    /// After every refresh attempt; `ok` false means lastError() says why.
    void refreshed(bool ok);

private:
    void pollForChanges();
    void merge(QList<LeadLogEntry> fresh);
    QString displayText(const LeadLogEntry &entry, int column) const;

    Database m_db;
    LeadLogStore m_store;
    int m_capacity;
    QList<LeadLogEntry> m_entries;
    QString m_lastError;
    QTimer m_watchTimer;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
};

} // namespace leadkeeper
