#pragma once

#include <QByteArray>
#include <QString>

namespace leadkeeper::bench {

/**
 * "Where the time goes": the listener's per-request steps, each alone in a tight loop on this
 * thread, in microseconds per call. The SQLite figures use a fresh database in `dir` (so the
 * fsync cost is that of dir's filesystem) opened by Database::open, i.e. WAL + synchronous=FULL,
 * exactly as the listener opens it; the NORMAL figure switches that one connection to
 * synchronous=NORMAL afterwards, for comparison only.
 */
struct MicroCosts
{
    struct Figure
    {
        double meanUs = 0;
        double p99Us = 0;
        int iterations = 0;
    };

    Figure hmacVerify;      ///< WebhookSignature::verify of one single-lead body
    Figure payloadParse;    ///< WebhookPayload::parse of the same
    Figure commitFull;      ///< LeadLogStore::storeDelivery of one new lead, synchronous=FULL
    Figure commitNormal;    ///< the same with synchronous=NORMAL
    Figure batchFullPerLead; ///< storeDelivery of kBatch new leads at once, FULL, per lead
    Figure fdatasync;       ///< overwrite 4 KiB + fdatasync() of a file in dir
    int batch = 64;
    qsizetype bodyBytes = 0;
    QString error;

    static MicroCosts measure(const QString &dir, const QByteArray &appSecret, int commits);
};

} // namespace leadkeeper::bench
