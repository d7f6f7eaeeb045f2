#pragma once

#include <QString>

namespace leadkeeper {

/**
 * One writer at a time per database file inside this process, with the webhook listener first.
 *
 * SQLite lets one connection write at a time. Without the gate, a connection that finds the write
 * lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 ... up to 100 ms between tries) even if
 * the lock is free again a millisecond later; with sixteen processing workers and a listener, the
 * listener spent most of a bulk reprocess asleep (p99 > 300 ms). Behind the gate, writers of this
 * process queue on a condition variable and get the lock the moment it is released, and a thread
 * marked urgent (the listener: Meta waits for its answer) goes before every waiting normal writer.
 * Other processes (a CLI command while `serve` runs) still meet in SQLite's busy handler.
 *
 * WriteTransaction passes through the gate; nothing else needs to know about it.
 */
class WriteGate
{
public:
    /// Writes from the calling thread go before normal ones from now on (the listener's threads).
    static void markCurrentThreadUrgent(bool urgent = true);
    static bool isCurrentThreadUrgent();

    /// Waits up to `timeoutMs` for the gate of `databaseFile`. false: timed out (the gate is not
    /// held). A thread that already holds a gate passes at once (and releases nothing): nested
    /// writes are left to SQLite, as without the gate.
    static bool enter(const QString &databaseFile, int timeoutMs);
    static void leave(const QString &databaseFile);

    /// Writers of this process queued at the gate of `databaseFile` now (diagnostics and tests).
    struct Queue
    {
        int urgent = 0;
        int normal = 0;
        bool held = false;
    };
    static Queue queue(const QString &databaseFile);
};

/// Holds the gate for its lifetime (when enter succeeded).
class WriteGateLock
{
public:
    WriteGateLock() = default;
    WriteGateLock(const WriteGateLock &) = delete;
    WriteGateLock &operator=(const WriteGateLock &) = delete;
    ~WriteGateLock() { release(); }

    bool acquire(const QString &databaseFile, int timeoutMs)
    {
        release();
        if (!WriteGate::enter(databaseFile, timeoutMs))
            return false;
        m_file = databaseFile;
        m_held = true;
        return true;
    }
    void release()
    {
        if (m_held)
            WriteGate::leave(m_file);
        m_held = false;
    }

private:
    QString m_file;
    bool m_held = false;
};

} // namespace leadkeeper
