#include "reprocess_job.h"

#include "processing_engine.h"
#include "store/database.h"
#include "store/processing_store.h"

namespace leadkeeper {

QString ReprocessSummary::describe() const
{
    QString text = QStringLiteral("%1 of %2 lead(s) done: %3 processed, %4 error, %5 unconfigured, "
                                  "%6 disabled")
                       .arg(done())
                       .arg(total)
                       .arg(processed)
                       .arg(error)
                       .arg(unconfigured)
                       .arg(disabled);
    if (pending)
        text += QStringLiteral(", %1 waiting for a retry").arg(pending);
    if (skipped)
        text += QStringLiteral(", %1 skipped (changed meanwhile)").arg(skipped);
    if (failed)
        text += QStringLiteral(", %1 could not be saved").arg(failed);
    if (cancelled)
        text += QStringLiteral(" (cancelled)");
    return text;
}

ReprocessJob::ReprocessJob(ProcessingEngine &engine, QList<qint64> entryIds, ProcessOptions options,
                           QObject *parent)
    : QObject(parent), m_engine(engine), m_queue(std::move(entryIds)), m_options(std::move(options))
{
    qRegisterMetaType<ReprocessSummary>("leadkeeper::ReprocessSummary");
    m_options.reprocess = true;
    m_summary.total = m_queue.size();
    connect(&m_engine, &ProcessingEngine::processed, this, &ReprocessJob::onProcessed);
}

QList<qint64> ReprocessJob::resolve(const QString &databasePath, const ReprocessSelection &selection,
                                    QString *error)
{
    auto db = Database::open(databasePath, error);
    if (!db)
        return {};
    if (selection.filter) {
        LeadLogQuery query(db->sql());
        query.setDefaultPhoneRegion(selection.phoneRegion);
        return query.reprocessableIds(*selection.filter, error).value_or(QList<qint64>{});
    }
    ProcessingStore store(db->sql());
    return store.reprocessable(selection.statuses, selection.pageId, selection.formId,
                               selection.leadgenIds, error);
}

void ReprocessJob::start()
{
    m_running = true;
    m_sinceProgress.start();
    Q_EMIT progress(0, m_summary.total);
    if (m_queue.isEmpty()) {
        m_running = false;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(m_summary); }, Qt::QueuedConnection);
        return;
    }
    feed();
}

void ReprocessJob::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_summary.cancelled = true;
    m_summary.total = m_summary.done() + m_mine.size();
    m_queue.clear();
    if (m_mine.isEmpty()) {
        m_running = false;
        Q_EMIT finished(m_summary);
    }
}

void ReprocessJob::feed()
{
    while (!m_queue.isEmpty() && m_engine.inFlight() < m_engine.concurrency()) {
        const qint64 id = m_queue.takeFirst();
        if (m_engine.isInFlight(id)) { // the dispatcher has it already
            ++m_summary.skipped;
            continue;
        }
        m_mine.insert(id);
        m_engine.submit(id, m_options);
    }
}

void ReprocessJob::onProcessed(qint64 entryId, const LeadProcessor::Result &result)
{
    if (!m_mine.remove(entryId)) {
        // Another user of the engine (the dispatcher) freed a slot: use it.
        if (m_running && !m_cancelled)
            feed();
        return;
    }
    if (!result.error.isEmpty() || result.write == ProcessingStore::WriteResult::Failed)
        ++m_summary.failed;
    else if (result.skipped || result.write == ProcessingStore::WriteResult::Stale)
        ++m_summary.skipped;
    else {
        switch (result.status) {
        case LeadStatus::Processed: ++m_summary.processed; break;
        case LeadStatus::Error: ++m_summary.error; break;
        case LeadStatus::Unconfigured: ++m_summary.unconfigured; break;
        case LeadStatus::Disabled: ++m_summary.disabled; break;
        case LeadStatus::Pending: ++m_summary.pending; break;
        case LeadStatus::Loss: ++m_summary.skipped; break;
        }
    }
    feed();
    const bool done = m_mine.isEmpty() && m_queue.isEmpty();
    if (done || m_sinceProgress.elapsed() >= 100) {
        m_sinceProgress.restart();
        Q_EMIT progress(m_summary.done(), m_summary.total);
    }
    if (done) {
        m_running = false;
        Q_EMIT finished(m_summary);
    }
}

} // namespace leadkeeper
