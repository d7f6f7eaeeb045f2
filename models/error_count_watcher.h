#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <optional>

namespace leadkeeper {

/**
 * Keeps the number of Error leads for the tray (QtCore only). refresh() counts them on a thread
 * of its own pool (StatusCount, its own connection) — never Qt's global pool, whose threads the
 * raster paint engine waits for. Counts start at most once per minInterval(): the desk calls
 * refresh() for every processed lead, and a bulk job processes hundreds a second; the calls in
 * between are coalesced into the next count. The GUI thread never waits. countChanged() carries the new count and how many more there are than at the previous
 * count (0 when fewer or equal), which is what a "new errors" notification needs.
 */
class ErrorCountWatcher : public QObject
{
    Q_OBJECT
public:
    explicit ErrorCountWatcher(const QString &databasePath, QObject *parent = nullptr);
    ~ErrorCountWatcher() override;

    /// -1 until the first count arrives.
    int count() const { return m_count; }
    static constexpr int minIntervalMs() { return 1000; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void countChanged(int count, int increase);
    void failed(const QString &error);

private:
    struct Result
    {
        std::optional<int> count;
        QString error;
    };
    void onFinished();
    void startCount();

    QString m_databasePath;
    QThreadPool m_pool;
    QFutureWatcher<Result> m_watcher;
    QTimer m_pace;       ///< running: a count started less than minIntervalMs() ago
    bool m_again = false; ///< a refresh came while counting or pacing
    int m_count = -1;
};

} // namespace leadkeeper
