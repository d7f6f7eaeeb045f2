#include "processing_engine.h"

#include "config/secret_store.h"
#include "meta/graph_client.h"
#include "settings/settings.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace leadkeeper {

Q_LOGGING_CATEGORY(lcProcessing, "leadkeeper.processing")

namespace {

/*
 * Processing is background work: when the cores are busy, the listener (Meta waits for its
 * answer) and the desk's GUI thread come first. QThread priorities do nothing for Linux's normal
 * scheduling class, so the worker raises its own nice value (a thread's nice is its own on Linux;
 * raising it needs no privilege).
 */
void yieldToInteractiveThreads()
{
#ifdef Q_OS_LINUX
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        setpriority(PRIO_PROCESS, tid, qMin(19, current + 5));
#endif
}

} // namespace

struct ProcessingEngine::Worker
{
    std::optional<Database> db;
    std::unique_ptr<GraphClient> graph;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<LeadProcessor> processor;
    QString openError;
};

ProcessingEngine::Config ProcessingEngine::configFrom(const Settings &settings)
{
    Config c;
    c.databasePath = settings.databasePath();
    c.busyTimeoutMs = settings.busyTimeoutMs();
    c.graphUrl = settings.graphUrl();
    c.graphVersion = settings.graphVersion();
    c.graphTimeoutMs = settings.graphTimeoutMs();
    c.concurrency = settings.workerConcurrency();
    c.policy.maxAttempts = settings.maxAttempts();
    c.policy.baseDelayMs = settings.retryBaseMs();
    c.policy.defaultRegion = settings.defaultRegion();
    c.secretStoreFactory = [] { return std::make_unique<SecretStore>(); };
    return c;
}

ProcessingEngine::ProcessingEngine(Config config, QObject *parent)
    : QObject(parent), m_config(std::move(config))
{
    qRegisterMetaType<LeadProcessor::Result>("leadkeeper::LeadProcessor::Result");
    m_pool.setMaxThreadCount(qMax(1, m_config.concurrency));
    m_pool.setExpiryTimeout(-1); // worker threads keep their connections for the engine's life
    m_pool.setObjectName(QStringLiteral("processing"));
}

ProcessingEngine::~ProcessingEngine()
{
    m_pool.waitForDone();
    // Each thread's Worker (and its database connection) is destroyed in that thread as it exits.
    m_pool.setExpiryTimeout(0);
    m_pool.clear();
}

ProcessingEngine::Worker *ProcessingEngine::workerForThisThread()
{
    if (!m_workers.hasLocalData()) {
        auto *w = new Worker;
        yieldToInteractiveThreads();
        Database::Options options;
        options.busyTimeoutMs = m_config.busyTimeoutMs;
        QString error;
        w->db = Database::open(m_config.databasePath, options, &error);
        if (!w->db) {
            w->openError = error;
        } else {
            w->graph = std::make_unique<GraphClient>(m_config.graphUrl, m_config.graphVersion,
                                                     m_config.graphTimeoutMs);
            w->secrets = m_config.secretStoreFactory();
            w->processor = std::make_unique<LeadProcessor>(w->db->sql(), *w->graph, *w->secrets,
                                                           m_config.policy);
        }
        m_workers.setLocalData(w);
    }
    return m_workers.localData();
}

void ProcessingEngine::submit(qint64 entryId, const ProcessOptions &options)
{
    if (m_inFlight.contains(entryId))
        return;
    m_inFlight.insert(entryId);
    m_pool.start([this, entryId, options] {
        Worker *w = workerForThisThread();
        LeadProcessor::Result result;
        if (!w->processor) {
            result.error = w->openError;
        } else {
            result = w->processor->process(entryId, options);
        }
        if (!result.error.isEmpty())
            qCWarning(lcProcessing).noquote() << "lead log entry" << entryId << ":" << result.error;
        QMetaObject::invokeMethod(this, [this, entryId, result] {
            m_inFlight.remove(entryId);
            Q_EMIT processed(entryId, result);
        });
    });
}

void ProcessingEngine::waitForDone()
{
    while (!m_inFlight.isEmpty()) {
        m_pool.waitForDone(50);
        QCoreApplication::sendPostedEvents(this);
    }
}

} // namespace leadkeeper
