#pragma once

#include "bench_options.h"
#include "load_driver.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace leadkeeper {
class ListenerThread;
}

namespace leadkeeper::bench {

class ServeProcess;

/**
 * The webhook listener being measured, on a database of its own in `dir`: the real
 * WebhookListener in a ListenerThread of this process (its signals arrive on the thread that
 * starts it, whose event loop must turn), or a spawned `leadkeeper serve`.
 */
class ListenerUnderTest
{
public:
    static const QByteArray &appSecret();

    ListenerUnderTest(BenchOptions::Target target, const BenchOptions &options, const QString &dir);
    ~ListenerUnderTest();

    bool start(QString *error);
    void stop();

    const ServerUnderLoad &server() const { return m_server; }
    QString databasePath() const { return m_databasePath; }
    /// New leads the listener signalled (in process only; -1 for serve).
    qint64 signalledLeads() const;
    /// 200s the generator received from it, over all steps.
    qint64 acknowledged() const { return m_acknowledged; }
    void countAcknowledged(qint64 n) { m_acknowledged += n; }
    /// Rows in its lead log (-1 if unreadable); call after stop() for the final count.
    qint64 leadLogRows() const { return leadLogRows(m_databasePath); }
    static qint64 leadLogRows(const QString &databasePath);

private:
    QString m_databasePath;
    bool m_processing;
    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<ListenerThread> m_thread;
    ServerUnderLoad m_server;
    qint64 m_stored = 0;
    qint64 m_acknowledged = 0;
};

} // namespace leadkeeper::bench
