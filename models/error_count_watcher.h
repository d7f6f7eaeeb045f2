#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * Keeps the number of Error leads for the tray (QtCore only). refresh() counts them on a worker
 * thread (StatusCount, its own connection); calls while a count runs are coalesced into one more
 * count afterwards, so a burst of processed leads costs at most two queries. The GUI thread never
 * waits. countChanged() carries the new count and how many more there are than at the previous
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

    QString m_databasePath;
    QFutureWatcher<Result> m_watcher;
    bool m_again = false;
    int m_count = -1;
};

} // namespace leadkeeper
