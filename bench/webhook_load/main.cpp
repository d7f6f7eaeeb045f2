// webhook_load: how many signed single-lead webhooks per second the listener stores and acknowledges
// on loopback, at what latency, against which ceiling, where the time goes, and whether memory stays
// flat. Prints figures; see bench/README.md for how to read them.

#include "bench_options.h"
#include "ceiling_server.h"
#include "group_commit_prototype.h"
#include "listener_under_test.h"
#include "load_driver.h"
#include "micro_costs.h"
#include "process_stats.h"
#include "request_pool.h"
#include "step_printer.h"

#include "store/database.h"
#include "version.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <memory>

using namespace leadkeeper;
using namespace leadkeeper::bench;

namespace {

QByteArray q(const QString &s)
{
    return s.toLocal8Bit();
}

QString sqliteVersion(const QString &databasePath)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    if (!db)
        return QStringLiteral("?");
    QSqlQuery query(db->sql());
    if (!query.exec(QStringLiteral("SELECT sqlite_version()")) || !query.next())
        return QStringLiteral("?");
    return query.value(0).toString();
}

void printMicro(const MicroCosts &m)
{
    say("\n== Where the time goes: each step of the handler alone, tight loop, this thread ==\n");
    say("   (body %lld bytes; SQLite on a fresh WAL database in the work dir)\n",
        static_cast<long long>(m.bodyBytes));
    say("   %-58s %9s %9s %7s\n", "step", "mean us", "p99 us", "n");
    auto row = [](const char *what, const MicroCosts::Figure &f) {
        say("   %-58s %9.1f %9.1f %7d\n", what, f.meanUs, f.p99Us, f.iterations);
    };
    row("HMAC-SHA256 verify (WebhookSignature::verify)", m.hmacVerify);
    row("JSON parse (WebhookPayload::parse)", m.payloadParse);
    row("commit 1 lead, synchronous=FULL (LeadLogStore::storeDelivery)", m.commitFull);
    row("commit 1 lead, synchronous=NORMAL (comparison only)", m.commitNormal);
    say("   %-58s %9.1f %9.1f %7d\n",
        q(QStringLiteral("commit %1 leads at once, FULL, per lead").arg(m.batch)).constData(),
        m.batchFullPerLead.meanUs, m.batchFullPerLead.p99Us, m.batchFullPerLead.iterations);
    row("overwrite 4 KiB + fdatasync() in the work dir", m.fdatasync);
    const double serial = m.hmacVerify.meanUs + m.payloadParse.meanUs + m.commitFull.meanUs;
    say("   verify + parse + FULL commit = %.1f us per request -> at most %.0f requests/s on one\n"
        "   thread before any HTTP work (NORMAL: %.0f/s)\n",
        serial, 1e6 / serial,
        1e6 / (m.hmacVerify.meanUs + m.payloadParse.meanUs + m.commitNormal.meanUs));
    if (!m.error.isEmpty())
        say("   ERROR: %s\n", q(m.error).constData());
}

/// One step against a server that stores leads: every request a new lead.
StepFigures runStep(RequestPool &pool, const ServerUnderLoad &server, const LoadSpec &spec,
                    double expectedRate)
{
    pool.reserve(qsizetype(expectedRate * (spec.seconds + spec.warmupSeconds + 1)));
    StepFigures f = drive(pool, server, spec);
    pool.clear();
    return f;
}

/// One step against a ceiling server, which stores nothing: a few thousand requests, reused.
StepFigures runCeilingStep(RequestPool &pool, const ServerUnderLoad &server, const LoadSpec &spec)
{
    pool.reserve(20000);
    pool.setRecycling(true);
    StepFigures f = drive(pool, server, spec);
    pool.setRecycling(false);
    pool.clear();
    return f;
}

double runSaturate(const BenchOptions &o, RequestPool &pool, ListenerUnderTest &listener,
                   const QString &dir, StepPrinter &out)
{
    say("\n== Saturate: K keep-alive connections, each sends its next webhook when the previous "
        "answer is in ==\n   %.1f s measured per step after %.1f s warm-up; latency = write to last "
        "byte of the answer\n",
        o.seconds, o.warmupSeconds);
    StepPrinter::header();
    CeilingServer plain(CeilingServer::Kind::Plain);
    CeilingServer bounded(CeilingServer::Kind::Bounded);
    const QString ceilingThread = QLatin1String(CeilingServer::threadName());
    std::unique_ptr<GroupCommitPrototype> whatIf;
    ServerUnderLoad whatIfServer;
    if (o.groupCommitThreads > 0) {
        whatIf = std::make_unique<GroupCommitPrototype>(
            QDir(dir).filePath(QStringLiteral("what-if.db")), ListenerUnderTest::appSecret(),
            o.groupCommitThreads);
        QString error;
        whatIfServer = {QStringLiteral("what-if gc x%1").arg(o.groupCommitThreads),
                        whatIf->start(&error), 0,
                        QLatin1String(GroupCommitPrototype::handlerThreadName())};
        if (whatIfServer.port == 0) {
            say("   what-if: %s\n", q(error).constData());
            whatIf.reset();
        }
    }
    double best = 0;
    qint64 whatIfAcknowledged = 0;
    for (int k : o.connections) {
        LoadSpec spec;
        spec.connections = k;
        spec.seconds = o.seconds;
        spec.warmupSeconds = o.warmupSeconds;
        double plainRps = 0;
        double boundedRps = 0;
        if (o.ceiling) {
            const ServerUnderLoad p{QStringLiteral("ceiling (plain)"), plain.start(), 0, ceilingThread};
            StepFigures f = runCeilingStep(pool, p, spec);
            plainRps = out.print(p.label, k, f);
            plain.stop();
            const ServerUnderLoad b{QStringLiteral("ceiling (bounded)"), bounded.start(), 0,
                                    ceilingThread};
            f = runCeilingStep(pool, b, spec);
            boundedRps = out.print(b.label, k, f);
            bounded.stop();
        }
        StepFigures f = runStep(pool, listener.server(), spec, 8000);
        listener.countAcknowledged(f.result.okAll);
        const double rps = out.print(listener.server().label, k, f);
        best = qMax(best, rps);
        if (o.ceiling && plainRps > 0 && boundedRps > 0)
            say("   %-18s %3d listener/ceiling = %.3f (plain), %.3f (bounded)\n", "ratio", k,
                rps / plainRps, rps / boundedRps);
        if (whatIf) {
            StepFigures w = runStep(pool, whatIfServer, spec, 12000);
            whatIfAcknowledged += w.result.okAll;
            out.print(whatIfServer.label, k, w);
        }
    }
    if (whatIf) {
        say("   what-if: a bench-only prototype (group_commit_prototype.h), not the product: %d handler\n"
            "   threads, one writer; %lld commits held %lld webhooks (%.1f per commit); srv%% sums "
            "the handlers\n",
            o.groupCommitThreads, static_cast<long long>(whatIf->commits()),
            static_cast<long long>(whatIf->deliveries()),
            whatIf->commits() ? double(whatIf->deliveries()) / double(whatIf->commits()) : 0.0);
        whatIf->stop();
        say("   what-if check: its lead_log holds %lld rows; the generator got %lld 200s from it\n",
            static_cast<long long>(
                ListenerUnderTest::leadLogRows(QDir(dir).filePath(QStringLiteral("what-if.db")))),
            static_cast<long long>(whatIfAcknowledged));
    }
    if (pool.builtOnTheSpot() > 0)
        say("   note: %lld requests had to be built during the runs (pool estimate too low)\n",
            static_cast<long long>(pool.builtOnTheSpot()));
    return best;
}

void runRate(const BenchOptions &o, RequestPool &pool, ListenerUnderTest &listener, StepPrinter &out)
{
    say("\n== Rate: %.0f webhooks/s for %.0f s over %d keep-alive connections ==\n"
        "   latency from when each request was due (includes waiting for a free connection)\n",
        o.rate, o.rateSeconds, o.rateConnections);
    LoadSpec spec;
    spec.connections = o.rateConnections;
    spec.seconds = o.rateSeconds;
    spec.warmupSeconds = o.warmupSeconds;
    spec.rate = o.rate;
    StepFigures f = runStep(pool, listener.server(), spec, o.rate * 1.1);
    listener.countAcknowledged(f.result.okAll);
    StepPrinter::header();
    out.print(listener.server().label, o.rateConnections, f);
    say("   sent at %.0f/s: %lld 200s in the window, most waiting for a connection: %lld, "
        "never sent: %lld\n",
        o.rate, static_cast<long long>(f.result.ok), static_cast<long long>(f.result.maxQueued),
        static_cast<long long>(f.result.missedSends));
}

void runSoak(const BenchOptions &o, RequestPool &pool, const QString &dir, double expectedRate,
             StepPrinter &out)
{
    const QString soakDir = QDir(dir).filePath(QStringLiteral("soak"));
    QDir().mkpath(soakDir);
    ListenerUnderTest listener(o.soakTarget, o, soakDir);
    QString error;
    if (!listener.start(&error)) {
        say("\n== Soak: cannot start the listener: %s\n", q(error).constData());
        return;
    }
    const ServerUnderLoad &server = listener.server();
    const qint64 pid = server.pid;
    const QString whose =
        pid ? QStringLiteral("RSS of the `leadkeeper serve%1` child (pid %2)")
                  .arg(o.serveProcessing ? QString() : QStringLiteral(" --no-processing"))
                  .arg(pid)
            : QStringLiteral("RSS of this whole process (generator included; its requests are "
                             "built before the first sample)");
    say("\n== Soak: %.0f s at saturation, K=%d, %s; every %.0f s ==\n", o.soakSeconds,
        o.soakConnections, q(whose).constData(), o.sampleSeconds);
    pool.reserve(qsizetype(expectedRate * 1.3 * (o.soakSeconds + 1)));
    std::atomic<qint64> progress{0};
    QElapsedTimer clock;
    // Memory is judged from the first sample after ~10 s (caches and arenas fill up before).
    qint64 settledRss = -1;
    qint64 settledAnswers = 0;
    qint64 lastRss = -1;
    say("   %7s %10s %10s %10s\n", "t s", "200s", "RSS KiB", "VmHWM KiB");
    auto sample = [&] {
        const double t = double(clock.elapsed()) / 1000.0;
        lastRss = process_stats::rssKiB(pid);
        if (settledRss < 0 && t >= qMin(10.0, o.soakSeconds / 4)) {
            settledRss = lastRss;
            settledAnswers = progress.load();
        }
        say("   %7.1f %10lld %10lld %10lld\n", t, static_cast<long long>(progress.load()),
            static_cast<long long>(lastRss), static_cast<long long>(process_stats::peakRssKiB(pid)));
    };
    clock.start();
    sample();
    LoadSpec spec;
    spec.connections = o.soakConnections;
    spec.seconds = o.soakSeconds;
    spec.warmupSeconds = 0;
    spec.progress = &progress;
    StepFigures f = drive(pool, server, spec, sample, o.sampleSeconds);
    sample();
    if (settledRss >= 0 && progress.load() > settledAnswers)
        say("   RSS from the settled sample to the end: %+lld KiB over %lld more 200s "
            "(%.1f bytes per webhook)\n",
            static_cast<long long>(lastRss - settledRss),
            static_cast<long long>(progress.load() - settledAnswers),
            double(lastRss - settledRss) * 1024.0 / double(progress.load() - settledAnswers));
    StepPrinter::header();
    out.print(server.label, o.soakConnections, f);
    listener.stop();
    const qint64 rows = listener.leadLogRows();
    say("   lead_log rows after the soak: %lld (200s sent: %lld)\n", static_cast<long long>(rows),
        static_cast<long long>(f.result.okAll));
    pool.clear();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The listener logs every refusal at info level; a benchmark only wants its own figures.
    QLoggingCategory::setFilterRules(QStringLiteral("leadkeeper.*.info=false"));
    bool help = false;
    QString error;
    const auto options = BenchOptions::parse(app.arguments(), &help, &error);
    if (help || !options) {
        std::fputs(q(help ? BenchOptions::usage() : QStringLiteral("webhook_load: %1\n").arg(error)).constData(),
                   help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const BenchOptions &o = *options;
    QTemporaryDir tmp(o.workDir.isEmpty() ? QDir::tempPath() + QStringLiteral("/webhook_load-XXXXXX")
                                          : QDir(o.workDir).filePath(QStringLiteral("webhook_load-XXXXXX")));
    if (!tmp.isValid()) {
        std::fprintf(stderr, "webhook_load: cannot create a work folder: %s\n",
                     q(tmp.errorString()).constData());
        return 1;
    }
    const QString dir = tmp.path();

    say("webhook_load: Leadkeeper %s, Qt %s, SQLite %s, %d cores\n", q(version()).constData(),
        qVersion(), q(sqliteVersion(QDir(dir).filePath(QStringLiteral("probe.db")))).constData(),
        process_stats::cores());
    say("work dir %s; load average at start: %s\n", q(dir).constData(),
        q(process_stats::loadAverage()).constData());
    say("columns: srv%% = the server's HTTP thread on a core, wait%% = that thread runnable but "
        "without a core,\n  us/req = its CPU per answer, gen%% = load generator, rest%% = our other "
        "threads, other%% = other processes (%% of one core),\n  oIO MB = what other processes wrote "
        "to disk during the step (it slows fsync down)\n");

    if (o.runMicro)
        printMicro(MicroCosts::measure(dir, ListenerUnderTest::appSecret(), o.microIterations));

    RequestPool pool(ListenerUnderTest::appSecret());
    pool.reserve(1000);
    say("\nrequests: %lld bytes each (headers + body), built in %.1f us each, unique 19-digit "
        "leadgen ids\n",
        static_cast<long long>(pool.bytesPerRequest()), pool.buildMicros());
    pool.clear();

    StepPrinter out(o.dumpFile);
    double bestRate = 6000;
    if (o.runSaturate || o.runRate) {
        ListenerUnderTest listener(o.target, o, dir);
        if (!listener.start(&error)) {
            std::fprintf(stderr, "webhook_load: %s\n", q(error).constData());
            return 1;
        }
        if (o.runSaturate)
            bestRate = qMax(1000.0, runSaturate(o, pool, listener, dir, out));
        if (o.runRate)
            runRate(o, pool, listener, out);
        QCoreApplication::processEvents(); // the listener's last queued signals
        const qint64 signalled = listener.signalledLeads();
        listener.stop();
        const qint64 rows = listener.leadLogRows();
        say("\n   check: lead_log holds %lld rows; the generator got %lld 200s", static_cast<long long>(rows),
            static_cast<long long>(listener.acknowledged()));
        if (signalled >= 0)
            say("; the listener signalled %lld new leads", static_cast<long long>(signalled));
        say("\n");
    }
    if (o.runSoak)
        runSoak(o, pool, dir, bestRate, out);
    say("\nload average at end: %s\n", q(process_stats::loadAverage()).constData());
    return 0;
}
