// webhook_load: how many signed single-lead webhooks per second the listener stores and acknowledges
// on loopback, at what latency, against which ceiling, where the time goes, and whether memory stays
// flat. Prints figures; see bench/README.md for how to read them.

#include "bench_options.h"
#include "ceiling_server.h"
#include "latency_summary.h"
#include "load_driver.h"
#include "micro_costs.h"
#include "process_stats.h"
#include "request_pool.h"
#include "serve_process.h"

#include "ingest/listener_thread.h"
#include "settings/settings.h"
#include "store/database.h"
#include "version.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <memory>

using namespace leadkeeper;
using namespace leadkeeper::bench;

namespace {

const QByteArray kAppSecret = "bench-app-secret-0123456789abcdef";
const QString kListenerThread = QStringLiteral("webhook-listener");

__attribute__((format(printf, 1, 2))) void say(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
    std::fflush(stdout);
}

QByteArray q(const QString &s)
{
    return s.toLocal8Bit();
}

Settings listenerSettings(const QString &databasePath)
{
    Settings s = Settings::defaults();
    s.set("store/database", databasePath);
    s.set("listener/address", QStringLiteral("127.0.0.1:0"));
    s.set("meta/app_secret", QString::fromUtf8(kAppSecret));
    s.set("meta/verify_token", QStringLiteral("bench-verify-token"));
    return s;
}

qint64 leadLogRows(const QString &databasePath)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    QSqlQuery query(db ? db->sql() : QSqlDatabase());
    if (!db || !query.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QString sqliteVersion(const QString &databasePath)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    QSqlQuery query(db ? db->sql() : QSqlDatabase());
    if (!db || !query.exec(QStringLiteral("SELECT sqlite_version()")) || !query.next())
        return QStringLiteral("?");
    return query.value(0).toString();
}

/// An in-process listener (ListenerThread) or a spawned `leadkeeper serve`, on its own database.
class Listener
{
public:
    Listener(BenchOptions::Target target, const BenchOptions &o, const QString &dir)
        : m_target(target), m_databasePath(QDir(dir).filePath(QStringLiteral("listener.db")))
    {
        if (target == BenchOptions::Target::Serve)
            m_serve = std::make_unique<ServeProcess>(o.serveBinary, dir);
        else
            m_thread = std::make_unique<ListenerThread>(listenerSettings(m_databasePath));
    }

    bool start(QString *error)
    {
        if (m_serve) {
            if (!m_serve->start(m_databasePath, kAppSecret, error))
                return false;
            m_server = {QStringLiteral("listener (serve)"), m_serve->port(), m_serve->pid(),
                        kListenerThread};
            return true;
        }
        QObject::connect(m_thread.get(), &ListenerThread::deliveryStored, m_thread.get(),
                         [this](int stored, int, qint64, const QStringList &) { m_stored += stored; });
        if (!m_thread->start(error))
            return false;
        m_server = {QStringLiteral("listener"), m_thread->port(), 0, kListenerThread};
        return true;
    }

    void stop()
    {
        if (m_serve)
            m_serve->stop();
        else
            m_thread->stop();
    }

    const ServerUnderLoad &server() const { return m_server; }
    QString databasePath() const { return m_databasePath; }
    /// New leads the listener signalled (in-process only; -1 for serve).
    qint64 signalledLeads() const { return m_serve ? -1 : m_stored; }
    /// 200s the generator received from it, over all steps.
    qint64 acknowledged() const { return m_acknowledged; }
    void countAcknowledged(qint64 n) { m_acknowledged += n; }

private:
    BenchOptions::Target m_target;
    QString m_databasePath;
    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<ListenerThread> m_thread;
    ServerUnderLoad m_server;
    qint64 m_stored = 0;
    qint64 m_acknowledged = 0;
};

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

void printStepHeader()
{
    say("   %-18s %3s %8s %7s %7s %7s %7s %6s %4s | %5s %5s %7s | %5s %5s %6s\n", "server", "K",
        "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non200", "err", "srv%", "wait%",
        "us/req", "gen%", "rest%", "other%");
}

double printStep(const QString &label, int k, StepFigures &f)
{
    const LatencySummary lat = LatencySummary::of(f.result.latencyNs);
    const double rps = f.result.seconds > 0 ? double(f.result.ok) / f.result.seconds : 0;
    say("   %-18s %3d %8.0f %7.2f %7.2f %7.2f %7.2f %6lld %4lld | %5.0f %5.0f %7.1f | %5.0f %5.0f %6.0f\n",
        q(label).constData(), k, rps, lat.p50, lat.p90, lat.p99, lat.max,
        static_cast<long long>(f.result.non200), static_cast<long long>(f.result.connectionErrors),
        f.usage.serverThreadCpu, f.usage.serverThreadWait, f.usage.serverUsPerResponse,
        f.usage.generatorCpu, f.usage.restOfUsCpu, f.usage.othersCpu);
    if (!f.result.error.isEmpty())
        say("      ERROR: %s\n", q(f.result.error).constData());
    if (f.result.non200 > 0)
        say("      first non-200 status: %d\n", f.result.firstNon200);
    return rps;
}

StepFigures runStep(RequestPool &pool, const ServerUnderLoad &server, const LoadSpec &spec,
                    double expectedRate)
{
    pool.reserve(qsizetype(expectedRate * (spec.seconds + spec.warmupSeconds + 1)));
    StepFigures f = drive(pool, server, spec);
    pool.clear();
    return f;
}

double runSaturate(const BenchOptions &o, RequestPool &pool, Listener &listener)
{
    say("\n== Saturate: K keep-alive connections, each sends its next webhook when the previous "
        "answer is in ==\n   %.1f s measured per step after %.1f s warm-up; latency = write to last "
        "byte of the answer\n",
        o.seconds, o.warmupSeconds);
    printStepHeader();
    CeilingServer plain(CeilingServer::Kind::Plain);
    CeilingServer bounded(CeilingServer::Kind::Bounded);
    const QString ceilingThread = QLatin1String(CeilingServer::threadName());
    double best = 0;
    for (int k : o.connections) {
        LoadSpec spec;
        spec.connections = k;
        spec.seconds = o.seconds;
        spec.warmupSeconds = o.warmupSeconds;
        double plainRps = 0;
        double boundedRps = 0;
        if (o.ceiling) {
            const ServerUnderLoad p{QStringLiteral("ceiling (plain)"), plain.start(), 0, ceilingThread};
            StepFigures f = runStep(pool, p, spec, 40000);
            plainRps = printStep(p.label, k, f);
            plain.stop();
            const ServerUnderLoad b{QStringLiteral("ceiling (bounded)"), bounded.start(), 0,
                                    ceilingThread};
            f = runStep(pool, b, spec, 40000);
            boundedRps = printStep(b.label, k, f);
            bounded.stop();
        }
        StepFigures f = runStep(pool, listener.server(), spec, 8000);
        listener.countAcknowledged(f.result.okAll);
        const double rps = printStep(listener.server().label, k, f);
        best = qMax(best, rps);
        if (o.ceiling && plainRps > 0 && boundedRps > 0)
            say("   %-18s %3d listener/ceiling = %.3f (plain), %.3f (bounded)\n", "ratio", k,
                rps / plainRps, rps / boundedRps);
    }
    if (pool.builtOnTheSpot() > 0)
        say("   note: %lld requests had to be built during the runs (pool estimate too low)\n",
            static_cast<long long>(pool.builtOnTheSpot()));
    return best;
}

void runRate(const BenchOptions &o, RequestPool &pool, Listener &listener)
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
    printStepHeader();
    printStep(listener.server().label, o.rateConnections, f);
    say("   sent at %.0f/s: %lld 200s in the window, most waiting for a connection: %lld, "
        "never sent: %lld\n",
        o.rate, static_cast<long long>(f.result.ok), static_cast<long long>(f.result.maxQueued),
        static_cast<long long>(f.result.missedSends));
}

void runSoak(const BenchOptions &o, RequestPool &pool, const QString &dir, double expectedRate)
{
    const QString soakDir = QDir(dir).filePath(QStringLiteral("soak"));
    QDir().mkpath(soakDir);
    Listener listener(o.soakTarget, o, soakDir);
    QString error;
    if (!listener.start(&error)) {
        say("\n== Soak: cannot start the listener: %s\n", q(error).constData());
        return;
    }
    const ServerUnderLoad &server = listener.server();
    const qint64 pid = server.pid;
    say("\n== Soak: %.0f s at saturation, K=%d, %s; RSS every %.0f s ==\n", o.soakSeconds,
        o.soakConnections,
        pid ? q(QStringLiteral("RSS of the `leadkeeper serve` child (pid %1)").arg(pid)).constData()
            : "RSS of this whole process (generator included; its requests are built first)",
        o.sampleSeconds);
    pool.reserve(qsizetype(expectedRate * 1.3 * (o.soakSeconds + 1)));
    std::atomic<qint64> progress{0};
    QElapsedTimer clock;
    say("   %7s %10s %10s %10s\n", "t s", "200s", "RSS KiB", "VmHWM KiB");
    auto sample = [&] {
        say("   %7.1f %10lld %10lld %10lld\n", clock.elapsed() / 1000.0,
            static_cast<long long>(progress.load()),
            static_cast<long long>(process_stats::rssKiB(pid)),
            static_cast<long long>(process_stats::peakRssKiB(pid)));
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
    printStepHeader();
    printStep(server.label, o.soakConnections, f);
    const qint64 rows = leadLogRows(listener.databasePath());
    listener.stop();
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
        "threads, other%% = other processes (%% of one core)\n");

    if (o.runMicro)
        printMicro(MicroCosts::measure(dir, kAppSecret, o.microIterations));

    RequestPool pool(kAppSecret);
    pool.reserve(1000);
    say("\nrequests: %lld bytes each (headers + body), built in %.1f us each, unique 19-digit "
        "leadgen ids\n",
        static_cast<long long>(pool.bytesPerRequest()), pool.buildMicros());
    pool.clear();

    double bestRate = 6000;
    if (o.runSaturate || o.runRate) {
        Listener listener(o.target, o, dir);
        if (!listener.start(&error)) {
            std::fprintf(stderr, "webhook_load: %s\n", q(error).constData());
            return 1;
        }
        if (o.runSaturate)
            bestRate = qMax(1000.0, runSaturate(o, pool, listener));
        if (o.runRate)
            runRate(o, pool, listener);
        QCoreApplication::processEvents(); // the listener's last queued signals
        const qint64 signalled = listener.signalledLeads();
        listener.stop();
        const qint64 rows = leadLogRows(listener.databasePath());
        say("\n   check: lead_log holds %lld rows; the generator got %lld 200s", static_cast<long long>(rows),
            static_cast<long long>(listener.acknowledged()));
        if (signalled >= 0)
            say("; the listener signalled %lld new leads", static_cast<long long>(signalled));
        say("\n");
    }
    if (o.runSoak)
        runSoak(o, pool, dir, bestRate);
    say("\nload average at end: %s\n", q(process_stats::loadAverage()).constData());
    return 0;
}
