#pragma once

#include "lead_processor.h"

#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QThreadStorage>

#include <functional>
#include <memory>

namespace leadkeeper {

class Settings;
class SecretStore;

/**
 * Runs LeadProcessor on a pool of `concurrency` worker threads that the engine owns. Each worker
 * thread has its own database connection, Graph client and secret store (created on first use,
 * destroyed with the thread), so workers never share a connection.
 *
 * submit() and the processed() signal belong to the thread that owns the engine; results arrive
 * there queued. Destroying the engine waits for the leads in hand.
 */
class ProcessingEngine : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QString databasePath;
        int busyTimeoutMs = 5000;
        QString graphUrl;
        QString graphVersion;
        int graphTimeoutMs = 20000;
        RetryPolicy policy;
        int concurrency = 16;
        std::function<std::unique_ptr<SecretStore>()> secretStoreFactory;
    };
    static Config configFrom(const Settings &settings);

    explicit ProcessingEngine(Config config, QObject *parent = nullptr);
    ~ProcessingEngine() override;

    void submit(qint64 entryId, const ProcessOptions &options);
    int inFlight() const { return m_inFlight.size(); }
    bool isInFlight(qint64 entryId) const { return m_inFlight.contains(entryId); }
    int concurrency() const { return m_config.concurrency; }
    /// Blocks until every submitted lead is done (CLI and tests; not for the GUI thread).
    void waitForDone();

Q_SIGNALS:
    void processed(qint64 entryId, const leadkeeper::LeadProcessor::Result &result);

private:
    struct Worker;
    Worker *workerForThisThread();

    Config m_config;
    QSet<qint64> m_inFlight;
    QThreadStorage<Worker *> m_workers; // destroyed after the pool has joined its threads
    QThreadPool m_pool;
};

} // namespace leadkeeper
