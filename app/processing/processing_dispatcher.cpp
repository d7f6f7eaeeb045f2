#include "processing_dispatcher.h"

#include "processing_engine.h"
#include "store/processing_store.h"

#include <QDateTime>
#include <QLoggingCategory>

namespace leadkeeper {

Q_LOGGING_CATEGORY(lcDispatch, "leadkeeper.processing")

ProcessingDispatcher::ProcessingDispatcher(ProcessingEngine &engine, const QString &databasePath,
                                           QObject *parent)
    : QObject(parent), m_engine(engine), m_databasePath(databasePath)
{
    connect(&m_tick, &QTimer::timeout, this, &ProcessingDispatcher::dispatch);
    connect(&m_engine, &ProcessingEngine::processed, this,
            [this](qint64, const LeadProcessor::Result &result) {
                if (result.pageRetryAfterMs && !result.pageId.isEmpty()) {
                    m_pausedUntil.insert(result.pageId,
                                         QDateTime::currentMSecsSinceEpoch() + *result.pageRetryAfterMs);
                    qCInfo(lcDispatch).noquote() << "Meta asked page" << result.pageId
                                                 << "to slow down; pausing it for"
                                                 << *result.pageRetryAfterMs / 1000 << "s";
                }
                wake();
            });
}

bool ProcessingDispatcher::start(QString *error, int tickMs)
{
    m_db = Database::open(m_databasePath, error);
    if (!m_db)
        return false;
    m_tick.start(tickMs);
    wake();
    return true;
}

void ProcessingDispatcher::stop()
{
    m_tick.stop();
    m_db.reset();
}

void ProcessingDispatcher::wake()
{
    if (m_dispatchQueued || !m_db)
        return;
    m_dispatchQueued = true;
    QMetaObject::invokeMethod(this, &ProcessingDispatcher::dispatch, Qt::QueuedConnection);
}

void ProcessingDispatcher::dispatch()
{
    m_dispatchQueued = false;
    if (!m_db)
        return;
    int free = m_engine.concurrency() - m_engine.inFlight();
    if (free <= 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_pausedUntil.begin(); it != m_pausedUntil.end();) {
        if (it.value() <= now)
            it = m_pausedUntil.erase(it);
        else
            ++it;
    }
    QString error;
    ProcessingStore store(m_db->sql());
    const QList<LeadLogEntry> due = store.due(now, m_engine.inFlight() + free * 4 + 16, &error);
    if (!error.isEmpty()) {
        qCWarning(lcDispatch).noquote() << "cannot read due leads:" << error;
        return;
    }
    // One queue per page, oldest first; then take pages in turn.
    QList<QString> pageOrder;
    QHash<QString, QList<qint64>> queues;
    for (const LeadLogEntry &e : due) {
        if (m_engine.isInFlight(e.id) || m_pausedUntil.contains(e.pageId))
            continue;
        if (!queues.contains(e.pageId))
            pageOrder << e.pageId;
        queues[e.pageId] << e.id;
    }
    bool took = true;
    while (free > 0 && took) {
        took = false;
        for (const QString &page : std::as_const(pageOrder)) {
            QList<qint64> &queue = queues[page];
            if (queue.isEmpty() || free == 0)
                continue;
            m_engine.submit(queue.takeFirst(), ProcessOptions{});
            --free;
            took = true;
        }
    }
}

} // namespace leadkeeper
