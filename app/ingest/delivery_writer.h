#pragma once

#include "store/database.h"
#include "store/lead_log_entry.h"
#include "store/lead_log_store.h"

#include <QList>
#include <QSqlQuery>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace leadkeeper {

/**
 * Group commit for the webhook listener: one thread owns the store's write connection and commits
 * the deliveries of many handler threads together (DESIGN.md §7, §9).
 *
 * Guarantees:
 *  - store() blocks its caller until the delivery is committed (synchronous=FULL: it survives
 *    kill -9 and a power cut) or has failed; a caller answers 200 only on success.
 *  - The writer takes everything queued and writes it in ONE transaction (BEGIN IMMEDIATE, one
 *    COMMIT, one fsync), each delivery under its own SAVEPOINT: a delivery that fails is rolled
 *    back alone and its caller gets the error while the others commit. If BEGIN or COMMIT fails,
 *    every delivery of the batch fails and nothing of it is stored.
 *  - Bounded memory: at most maxQueued deliveries wait; beyond that store() fails at once.
 *  - store() is thread-safe; start()/stop() are called by the owner only. stop() waits for the
 *    batch in hand; deliveries submitted after stop() fail at once.
 */
class DeliveryWriter
{
public:
    static constexpr int kDefaultMaxQueued = 4096;

    struct Result
    {
        std::optional<LeadLogStore::DeliveryOutcome> outcome; ///< empty: nothing stored, see error
        QString error;
    };

    DeliveryWriter(QString databasePath, Database::Options options,
                   int maxQueued = kDefaultMaxQueued);
    ~DeliveryWriter();
    DeliveryWriter(const DeliveryWriter &) = delete;
    DeliveryWriter &operator=(const DeliveryWriter &) = delete;

    /// Opens the database in the writer's thread (migrating it if needed) and starts committing.
    bool start(QString *error);
    void stop();

    /// Stores one delivery; blocks until it is committed or failed. Any thread.
    Result store(QList<IncomingLead> leads, qint64 receivedAtMs);

    /// Transactions committed and deliveries they held, so far.
    qint64 commits() const { return m_commits.load(); }
    qint64 deliveries() const { return m_deliveries.load(); }

private:
    struct Pending;
    struct Savepoint ///< the savepoint statements, prepared once
    {
        QSqlQuery begin;
        QSqlQuery release;
        QSqlQuery rollback;
    };
    void run(Database db);
    void writeBatch(LeadLogStore &store, QSqlDatabase &sql, Savepoint &savepoint,
                    std::deque<Pending *> &batch);

    QString m_databasePath;
    Database::Options m_options;
    int m_maxQueued;

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending *> m_queue; ///< guarded by m_mutex
    bool m_running = false;        ///< guarded by m_mutex
    std::atomic<qint64> m_commits{0};
    std::atomic<qint64> m_deliveries{0};
};

} // namespace leadkeeper
