#include "delivery_writer.h"

#include "store/write_gate.h"
#include "store/write_transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#ifdef Q_OS_LINUX
#include <pthread.h>
#endif

#include <future>
#include <vector>

namespace leadkeeper {

namespace {

/// Runs one prepared savepoint statement; on failure *error says why.
bool exec(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = QStringLiteral("The lead log cannot be written: %1").arg(q.lastError().text());
    return false;
}

} // namespace

struct DeliveryWriter::Pending
{
    QList<IncomingLead> leads;
    qint64 receivedAtMs = 0;
    std::promise<Result> done;
};

DeliveryWriter::DeliveryWriter(QString databasePath, Database::Options options, int maxQueued)
    : m_databasePath(std::move(databasePath)), m_options(options), m_maxQueued(qMax(1, maxQueued))
{
}

DeliveryWriter::~DeliveryWriter()
{
    stop();
}

bool DeliveryWriter::start(QString *error)
{
    stop();
    std::promise<QString> opened;
    std::future<QString> openResult = opened.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_running = true;
    }
    m_thread = std::thread([this, opened = std::move(opened)]() mutable {
        QThread::currentThread()->setObjectName(QStringLiteral("webhook-writer"));
#ifdef Q_OS_LINUX
        pthread_setname_np(pthread_self(), "webhook-writer"); // not the creator's name in top
#endif
        // Meta waits for every delivery this thread commits: it goes before the processing workers.
        WriteGate::markCurrentThreadUrgent();
        QString why;
        auto db = Database::open(m_databasePath, m_options, &why);
        opened.set_value(db ? QString() : why);
        if (db)
            run(std::move(*db));
    });
    *error = openResult.get();
    if (error->isEmpty())
        return true;
    stop();
    return false;
}

void DeliveryWriter::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
    m_wake.notify_one();
    m_thread.join();
    // Nothing can be left: the loop drains the queue before it ends, and store() refuses once
    // m_running is false.
}

DeliveryWriter::Result DeliveryWriter::store(QList<IncomingLead> leads, qint64 receivedAtMs)
{
    Pending pending{std::move(leads), receivedAtMs, {}};
    std::future<Result> done = pending.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (!m_running)
            return {std::nullopt, QStringLiteral("The lead log writer is not running.")};
        if (qsizetype(m_queue.size()) >= m_maxQueued)
            return {std::nullopt, QStringLiteral("The lead log writer has %1 deliveries waiting "
                                                 "already.")
                                      .arg(m_maxQueued)};
        m_queue.push_back(&pending);
    }
    m_wake.notify_one();
    return done.get();
}

void DeliveryWriter::run(Database db)
{
    // No checkpoint on a delivery's path: WebhookListener checkpoints from its own thread.
    QSqlQuery(db.sql()).exec(QStringLiteral("PRAGMA wal_autocheckpoint=0"));
    LeadLogStore store(db.sql());
    Savepoint savepoint{QSqlQuery(db.sql()), QSqlQuery(db.sql()), QSqlQuery(db.sql())};
    savepoint.begin.prepare(QStringLiteral("SAVEPOINT delivery"));
    savepoint.release.prepare(QStringLiteral("RELEASE SAVEPOINT delivery"));
    savepoint.rollback.prepare(QStringLiteral("ROLLBACK TO SAVEPOINT delivery"));
    for (;;) {
        std::deque<Pending *> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_running || !m_queue.empty(); });
            if (m_queue.empty())
                break; // stopping, and nobody is waiting
            batch.swap(m_queue);
        }
        writeBatch(store, db.sql(), savepoint, batch);
    }
}

void DeliveryWriter::writeBatch(LeadLogStore &store, QSqlDatabase &sql, Savepoint &savepoint,
                                std::deque<Pending *> &batch)
{
    std::vector<Result> results(batch.size());
    auto failAll = [&](const QString &error) {
        for (Result &r : results) {
            r.outcome.reset();
            r.error = error;
        }
    };

    WriteTransaction transaction(sql); // rolls back unless committed
    if (!transaction.isOpen()) {
        failAll(QStringLiteral("The lead log cannot be written: %1").arg(transaction.errorText()));
    } else {
        bool broken = false; // a savepoint statement failed: the transaction's state is unknown
        int written = 0;
        for (std::size_t i = 0; i < batch.size() && !broken; ++i) {
            QString error;
            if (!exec(savepoint.begin, &error)) {
                broken = true;
                failAll(error);
                break;
            }
            results[i].outcome = store.writeDelivery(batch[i]->leads, batch[i]->receivedAtMs, &error);
            if (results[i].outcome) {
                ++written;
                broken = !exec(savepoint.release, &error);
            } else {
                results[i].error = error;
                QString undoError;
                broken = !exec(savepoint.rollback, &undoError)
                         || !exec(savepoint.release, &undoError);
                if (broken)
                    error = undoError;
            }
            if (broken)
                failAll(error);
        }
        if (broken) {
            transaction.rollback();
        } else if (written > 0 && !transaction.commit()) {
            failAll(QStringLiteral("The lead log cannot be written: %1").arg(transaction.errorText()));
        } else if (written > 0) {
            ++m_commits;
        }
    }
    m_deliveries += qint64(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i)
        batch[i]->done.set_value(std::move(results[i]));
}

} // namespace leadkeeper
