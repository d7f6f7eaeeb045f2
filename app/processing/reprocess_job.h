#pragma once

#include "lead_processor.h"
#include "store/lead_log_query.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>

namespace leadkeeper {

class ProcessingEngine;

/// Which leads a reprocess covers (DESIGN.md §4: never Pending or Processed ones).
struct ReprocessSelection
{
    QList<LeadStatus> statuses; ///< empty = every reprocessable status
    QString pageId;
    QString formId;
    QStringList leadgenIds;
    /// The desk's filter ("Process all matching"): when set, it alone says which leads, exactly
    /// as the lead list shows them (LeadLogQuery::reprocessableIds), and the fields above are unused.
    std::optional<DeskFilter> filter;
    /// With `filter`: the default phone region, so a phone number in its text is found as the
    /// desk found it (LeadLogQuery::setDefaultPhoneRegion).
    QString phoneRegion;
};

/// What a reprocess did, by resulting status.
struct ReprocessSummary
{
    int total = 0;
    int processed = 0;
    int error = 0;
    int unconfigured = 0;
    int disabled = 0;
    int pending = 0; ///< waiting for a retry (Meta unreachable for now)
    int skipped = 0; ///< changed meanwhile or no longer reprocessable
    int failed = 0;  ///< the store could not be written
    bool cancelled = false;
    int done() const { return processed + error + unconfigured + disabled + pending + skipped + failed; }
    QString describe() const;
};

/**
 * A bulk (or single) reprocess as a background job: it feeds its entries to a ProcessingEngine at
 * the engine's concurrency, reports progress at most every 100 ms, can be cancelled (the leads in
 * hand finish, no new ones start), and ends with a summary. Lives in the thread that owns the
 * engine; it never blocks it.
 */
class ReprocessJob : public QObject
{
    Q_OBJECT
public:
    ReprocessJob(ProcessingEngine &engine, QList<qint64> entryIds, ProcessOptions options,
                 QObject *parent = nullptr);

    /// Resolves a selection to lead log ids (a query: run it off the GUI thread).
    static QList<qint64> resolve(const QString &databasePath, const ReprocessSelection &selection,
                                 QString *error);

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const ReprocessSummary &summary() const { return m_summary; }

Q_SIGNALS:
    void progress(int done, int total);
    void finished(const leadkeeper::ReprocessSummary &summary);

private:
    void feed();
    void onProcessed(qint64 entryId, const LeadProcessor::Result &result);

    ProcessingEngine &m_engine;
    QList<qint64> m_queue;
    QSet<qint64> m_mine;
    ProcessOptions m_options;
    ReprocessSummary m_summary;
    QElapsedTimer m_sinceProgress;
    bool m_running = false;
    bool m_cancelled = false;
};

} // namespace leadkeeper
