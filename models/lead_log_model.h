#pragma once

#include "lead_log_jobs.h"
#include "store/database.h"
#include "store/lead_log_query.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace leadkeeper {

class LeadLogReader;

/**
 * The whole lead log as a table, filtered and sorted in SQL, for logs of millions of entries.
 *
 * Contract:
 * - A row is one lead log entry matching filter(), in sortOrder() (newest received first by
 *   default). Columns are the Column enum; every cell is plain text in Qt::DisplayRole (lead and
 *   staff text is data: never HTML, never a tooltip); the custom roles give the typed values.
 * - The model lives in, and is only called from, the GUI thread, and never waits on a query that
 *   reads more than it shows. Reads run on a LeadLogReader thread with its own connection: a
 *   window of rows around the rows asked for (rows outside it answer no data until it arrives,
 *   then dataChanged), anchors every desk::kAnchorStep rows so a jump anywhere reads from a
 *   nearby key (in received or status order with no filter but statuses and a received
 *   range, the start of every received day instead, read with the count from migration 003's
 *   day counters: a jump right after opening never waits for a walk), and the count (from the status counters or a text filter's match set when the
 *   filter allows, else by the anchor walk, growing the row count as it goes). Every query runs
 *   to its end.
 * - A generation counter drops results of an older filter, order or layout (reads still queued
 *   for one are not run at all); results computed before new rows were inserted at the top are
 *   shifted by them.
 * - requestRefresh() (the listener's signal) and startWatching() (PRAGMA data_version, for commits
 *   by other processes) refresh at most once per kMinRefreshInterval (or twice the time the last
 *   refresh took, so refreshing never keeps the reader busy): new rows at the top are one
 *   beginInsertRows, changed rows in the window dataChanged; so selections and persistent indexes
 *   stay on their entries. Rows that left or joined the filter elsewhere become a layout change
 *   that keeps persistent indexes on the entries still in the window.
 */
class LeadLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        ReceivedColumn,
        CreatedColumn,
        StatusColumn,
        NameColumn,
        PhoneColumn,
        PageColumn,
        FormColumn,
        SourceColumn,
        PlatformColumn,
        OrganicColumn,
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

    static constexpr int kWindowSize = 600;
    static constexpr std::chrono::milliseconds kMinRefreshInterval{100};

    /// `database` (opened in this thread) watches for commits; the reader opens its own.
    explicit LeadLogModel(Database database, QObject *parent = nullptr);
    ~LeadLogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    /// Sorts by the columns that have an order (sortKeyForColumn()); other columns are ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    void setFilter(const DeskFilter &filter);
    const DeskFilter &filter() const { return m_view.filter; }
    void setSortOrder(const DeskSort &sort);
    const DeskSort &sortOrder() const { return m_view.sort; }
    static std::optional<DeskSortKey> sortKeyForColumn(int column);

    /// The row if it is loaded, else nullptr (it is then being loaded).
    const DeskRow *rowAt(int row) const;
    bool isCountExact() const { return !m_resetPending && m_view.countExact; }
    /// True from a filter or order change until its first rows are in.
    bool isLoading() const { return m_resetPending; }
    QString lastError() const { return m_lastError; }
    QHash<LeadStatus, qint64> statusCounts() const { return m_statusCounts; }
    std::optional<qint64> lastWebhookAt() const { return m_lastWebhookMs; }

    /// Reads the pages and forms the filter can offer; choicesLoaded() brings them.
    void loadChoices();
    /// The default phone region setting: a phone number searched without its country code is
    /// looked for with this region's (and every page's region's) country code. For the next filter.
    void setDefaultPhoneRegion(const QString &region);

    void startWatching(std::chrono::milliseconds interval);
    void stopWatching();

    static QString formatTime(qint64 msSinceEpoch);
    static QString sourceLabel(LeadSource source);
    static QString platformLabel(const QString &platform);

public Q_SLOTS:
    void requestRefresh();

Q_SIGNALS:
    /// After every refresh or reset attempt; `ok` false means lastError() says why.
    void refreshed(bool ok);
    /// The first rows of a new filter or order are in (after modelReset).
    void filterApplied();
    /// Rows asked for by the view are in.
    void rowsLoaded();
    /// The row count is exact now (counters, or the anchor walk reached the end).
    void countSettled();
    void statusCountsChanged();
    void choicesLoaded(const QList<leadkeeper::LeadLogQuery::Choice> &pages,
                       const QList<leadkeeper::LeadLogQuery::Choice> &forms);

private:
    template<typename Result, typename Read, typename Apply>
    void post(Read read, Apply apply, bool runWhenStale = false);
    void startReset();
    void applyReset(desk::Reset reset);
    void continueWalk();
    void applyWalk(desk::Walk walk, qint64 shift);
    void fetchWanted();
    void applyRows(qint64 first, QList<DeskRow> rows, qint64 shift);
    void refresh();
    void applyRefresh(desk::Refresh refresh);
    void replaceWindow(qint64 first, QList<DeskRow> rows, bool layoutChange);
    void setCount(qint64 count);
    void fail(const QString &error);
    void pollForChanges();
    QString displayText(const DeskRow &row, int column) const;

    Database m_db;
    std::unique_ptr<LeadLogReader> m_reader;
    desk::View m_view;
    std::atomic<quint64> m_generation = 0; ///< read by the reader thread to skip stale reads
    qint64 m_topShift = 0; ///< rows inserted at the top so far (results are shifted by the rest)
    qint64 m_windowFirst = 0;
    QList<DeskRow> m_window;
    bool m_resetPending = false;
    bool m_walking = false;
    bool m_rowsInFlight = false;
    bool m_refreshInFlight = false;
    bool m_refreshAgain = false;
    mutable std::optional<qint64> m_wantedRow;
    mutable QTimer m_fetchTimer;
    QTimer m_watchTimer;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    qint64 m_refreshCostMs = 0; ///< how long the last refresh took, posted to applied
    QString m_lastError;
    QHash<LeadStatus, qint64> m_statusCounts;
    std::optional<qint64> m_lastWebhookMs;
};

} // namespace leadkeeper
