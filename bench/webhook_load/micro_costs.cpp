#include "micro_costs.h"

#include "ingest/webhook_payload.h"
#include "ingest/webhook_signature.h"
#include "latency_summary.h"
#include "request_pool.h"
#include "store/database.h"
#include "store/lead_log_store.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlQuery>

#include <fcntl.h>
#include <unistd.h>

#include <vector>

namespace leadkeeper::bench {

namespace {

/// Times `step(i)` for i in [0, n) and summarises it per call (or per `per` items of a call).
template<typename Step>
MicroCosts::Figure timeLoop(int n, Step step, int per = 1)
{
    std::vector<qint64> ns;
    ns.reserve(std::size_t(n));
    QElapsedTimer clock;
    for (int i = 0; i < n; ++i) {
        clock.start();
        step(i);
        ns.push_back(clock.nsecsElapsed() / per);
    }
    const LatencySummary s = LatencySummary::of(ns, 1e6);
    return {s.meanMs * 1000.0, s.p99Ms * 1000.0, n};
}

QList<IncomingLead> leadsFor(quint64 firstId, int count)
{
    QList<IncomingLead> leads;
    leads.reserve(count);
    for (int i = 0; i < count; ++i)
        leads << WebhookPayload::parse(RequestPool::body(firstId + quint64(i))).leads;
    return leads;
}

} // namespace

MicroCosts MicroCosts::measure(const QString &dir, const QByteArray &appSecret, int commits)
{
    MicroCosts m;
    const QByteArray body = RequestPool::body(1900000000000000000ULL);
    const QByteArray signature = WebhookSignature::sign(appSecret, body);
    m.bodyBytes = body.size();
    const int cpuLoops = commits * 20;

    volatile int sink = 0; // keeps the loops from being optimised away
    m.hmacVerify = timeLoop(cpuLoops, [&](int) {
        sink = sink + int(WebhookSignature::verify(appSecret, body, signature));
    });
    m.payloadParse = timeLoop(cpuLoops, [&](int) {
        sink = sink + int(WebhookPayload::parse(body).leads.size());
    });

    QString error;
    auto db = Database::open(QDir(dir).filePath(QStringLiteral("micro.db")), &error);
    if (!db) {
        m.error = error;
        return m;
    }
    LeadLogStore store(db->sql());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    quint64 nextId = 1910000000000000000ULL;
    auto storeOneEach = [&](int n) {
        const QList<IncomingLead> leads = leadsFor(nextId, n);
        nextId += quint64(n);
        return timeLoop(n, [&](int i) {
            if (!store.storeDelivery({leads.at(i)}, now, &error))
                m.error = error;
        });
    };
    storeOneEach(100); // prepares the statements, warms the page cache
    m.commitFull = storeOneEach(commits);

    const int batches = qMax(1, commits / m.batch) * 4;
    const QList<IncomingLead> batchLeads = leadsFor(nextId, batches * m.batch);
    nextId += quint64(batches * m.batch);
    m.batchFullPerLead = timeLoop(
        batches,
        [&](int b) {
            if (!store.storeDelivery(batchLeads.mid(qsizetype(b) * m.batch, m.batch), now, &error))
                m.error = error;
        },
        m.batch);

    QSqlQuery(db->sql()).exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    m.commitNormal = storeOneEach(commits);

    const QByteArray path = QDir(dir).filePath(QStringLiteral("fsync.probe")).toLocal8Bit();
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        const QByteArray page(4096, 'x');
        m.fdatasync = timeLoop(qMin(commits, 1000), [&](int) {
            if (::pwrite(fd, page.constData(), std::size_t(page.size()), 0) == page.size())
                ::fdatasync(fd);
        });
        ::close(fd);
        ::unlink(path.constData());
    }
    return m;
}

} // namespace leadkeeper::bench
