#pragma once

#include "store/lead_log_entry.h"
#include "store/processing_store.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace leadkeeper {

class GraphClient;
class SecretStore;

/// How transient failures are retried (DESIGN.md §5 step 3).
struct RetryPolicy
{
    int maxAttempts = 8;
    qint64 baseDelayMs = 30000;   ///< first retry after about this long, doubling each time
    qint64 maxDelayMs = 3600000;  ///< never waits longer than this between attempts
    QString defaultRegion = QStringLiteral("US");

    /// Delay before attempt `attempt` (1 = first retry), ±20 % jitter, at least `notBeforeMs`.
    qint64 delayFor(int attempt, qint64 notBeforeMs = 0) const;
};

struct ProcessOptions
{
    bool refetch = false;   ///< fetch the lead from Meta even if a payload is stored
    bool reprocess = false; ///< a person asked for it: allowed for every status but Pending/Processed
    QString actor = QStringLiteral("system");
};

/**
 * Runs one lead log entry through the pipeline of DESIGN.md §5: page config and form mapping,
 * enabled, lead payload (fetched from the Graph API when none is stored), mapping with the
 * corrections overlay, validation, then the Lead and the status in one transaction.
 *
 * Blocking (it may wait on Meta): call it from a worker thread, never the GUI thread. It uses the
 * connection and clients it is given, all owned by the calling thread.
 */
class LeadProcessor
{
public:
    LeadProcessor(QSqlDatabase db, GraphClient &graph, SecretStore &secrets, RetryPolicy policy);

    struct Result
    {
        ProcessingStore::WriteResult write = ProcessingStore::WriteResult::Failed;
        bool skipped = false; ///< not processable now (status changed, or not allowed)
        LeadStatus status = LeadStatus::Pending;
        QString message;
        QString leadgenId;
        QString pageId;
        std::optional<qint64> pageRetryAfterMs; ///< Meta asked this page to slow down
        QString error;                          ///< store failure
    };

    Result process(qint64 entryId, const ProcessOptions &options);

private:
    QSqlDatabase m_db;
    ProcessingStore m_store; // its statements are prepared once for all the leads of this worker
    GraphClient &m_graph;
    SecretStore &m_secrets;
    RetryPolicy m_policy;
};

} // namespace leadkeeper
