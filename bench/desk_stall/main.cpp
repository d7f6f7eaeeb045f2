// desk_stall: how long the desk's GUI thread stalls while a 10,000-lead bulk reprocess runs and
// while 200 signed webhooks/s arrive (issue 4's quality bar: under 50 ms). The real desk, composed
// as runDesk() runs it (ui::DeskSession), on the offscreen platform; a 5 ms precise timer measures how late the
// GUI thread answers, every GUI event dispatch is timed, and the GUI thread's stack is sampled
// during long ones. Prints figures; asserts nothing. See README.md next to this file.

#include "config/secret_store.h"
#include "desk_controller.h"
#include "error_count_watcher.h"
#include "desk_session.h"
#include "timed_application.h"
#include "ingest/listener_thread.h"
#include "log_generator.h"
#include "main_window.h"
#include "processing/processing_engine.h"
#include "report.h"
#include "reprocess_bed.h"
#include "scenario_runner.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QThreadPool>

#include <cmath>

using namespace leadkeeper;
using namespace leadkeeper::bench;

namespace {

QTextStream out(stdout);

struct Options
{
    int leads = 10000;
    int delayMs = 20;
    int graphThreads = 32;
    qint64 logRows = 0;
    double webhookSeconds = 30;
    double bothSeconds = 0;
    double idleSeconds = 5;
    QStringList scenarios;
    int repeat = 1;
    int sampleAfterMs = 30;
    double stackMs = 50;
    int stackFrames = 40;
    QString workDir;
    bool whatIfNoRecount = false;
    int globalPoolThreads = 0;
    ScenarioOptions run;
};

Options parse(TimedApplication &app)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The desk's longest GUI event-loop stalls during a bulk reprocess and under webhooks."));
    p.addHelpOption();
    auto opt = [&](const char *name, const char *help, const char *def) {
        p.addOption({QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("v"),
                     QString::fromLatin1(def)});
    };
    opt("leads", "Error leads seeded and bulk-reprocessed.", "10000");
    opt("delay-ms", "The fake Graph answers each call after this long.", "20");
    opt("graph-threads", "Worker threads of the fake Graph.", "32");
    opt("log-rows", "Generated entries (a year of history) beside the seeded ones; allows at most "
                    "one scenario that reprocesses, and no reset between scenarios.", "0");
    opt("rate", "Webhooks per second.", "200");
    opt("connections", "Keep-alive connections the webhooks share.", "4");
    opt("webhook-seconds", "How long the webhooks-only scenario sends.", "30");
    opt("both-seconds", "How long webhooks are sent in 'both' (0: as long as the reprocess "
                        "scenario's job took, or 30 s).", "0");
    opt("idle-seconds", "Length of the idle scenario (scrolling only).", "5");
    opt("scenarios", "Comma list of idle, reprocess, webhooks, both.", "idle,reprocess,webhooks,both");
    opt("repeat", "Run the scenario list this many times.", "1");
    opt("probe-ms", "Interval of the GUI tick probe.", "5");
    opt("scroll-ms", "Scroll the table to a random row this often (0: never).", "100");
    opt("sample-after-ms", "Sample the GUI thread's stack once a dispatch runs this long.", "30");
    opt("stack-ms", "Print the sampled stacks of dispatches at least this long.", "50");
    opt("stack-frames", "Frames printed per stack.", "40");
    opt("work-dir", "Folder of the temporary database (default: the system temp folder).", "");
    p.addOption({QStringLiteral("what-if-no-recount-per-lead"),
                 QStringLiteral("Diagnosis, not the product: the tray's Error count is not recounted "
                                "after every processed lead (only after the table's refreshes).")});
    opt("what-if-global-pool-threads", "Diagnosis, not the product: threads of Qt's global pool "
                                       "(0 = Qt's default, one per core).", "0");
    p.process(app);
    Options o;
    o.leads = p.value(QStringLiteral("leads")).toInt();
    o.delayMs = p.value(QStringLiteral("delay-ms")).toInt();
    o.graphThreads = p.value(QStringLiteral("graph-threads")).toInt();
    o.logRows = p.value(QStringLiteral("log-rows")).toLongLong();
    o.run.rate = p.value(QStringLiteral("rate")).toDouble();
    o.run.connections = p.value(QStringLiteral("connections")).toInt();
    o.webhookSeconds = p.value(QStringLiteral("webhook-seconds")).toDouble();
    o.bothSeconds = p.value(QStringLiteral("both-seconds")).toDouble();
    o.idleSeconds = p.value(QStringLiteral("idle-seconds")).toDouble();
    o.scenarios = p.value(QStringLiteral("scenarios")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.repeat = qMax(1, p.value(QStringLiteral("repeat")).toInt());
    o.run.probeMs = qMax(1, p.value(QStringLiteral("probe-ms")).toInt());
    o.run.scrollMs = p.value(QStringLiteral("scroll-ms")).toInt();
    o.sampleAfterMs = p.value(QStringLiteral("sample-after-ms")).toInt();
    o.stackMs = p.value(QStringLiteral("stack-ms")).toDouble();
    o.stackFrames = p.value(QStringLiteral("stack-frames")).toInt();
    o.workDir = p.value(QStringLiteral("work-dir"));
    o.whatIfNoRecount = p.isSet(QStringLiteral("what-if-no-recount-per-lead"));
    o.globalPoolThreads = p.value(QStringLiteral("what-if-global-pool-threads")).toInt();
    return o;
}

int fail(const QString &error)
{
    out << "desk_stall: " << error << Qt::endl;
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    // The desk of a fresh user: offscreen, settings and the secrets file in a folder of its own.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    qputenv("LEADKEEPER_SECRET_STORE", "file");
    QCoreApplication::setOrganizationName(QStringLiteral("Leadkeeper"));
    QCoreApplication::setApplicationName(QStringLiteral("leadkeeper"));
    TimedApplication app(argc, argv);
    const Options o = parse(app);
    app.setSampling(o.sampleAfterMs, 20);

    QString error;
    ReprocessBed bed;
    if (!bed.open(o.workDir, o.graphThreads, o.delayMs, &error))
        return fail(error);
    QElapsedTimer clock;
    clock.start();
    // The history goes in after the seeded leads: the bed's reset rewrites every entry up to its
    // last seeded one, so with a history no scenario may reset (checked below).
    if (!bed.seed(o.leads, &error))
        return fail(error);
    if (o.logRows > 0 && !generateLog(bed.databasePath(), o.logRows, &error))
        return fail(error);
    // The engine the desk composes reads page tokens from the default secret store.
    SecretStore secrets;
    if (!secrets.setToken(bed.page().tokenRef, QString::fromLatin1(ReprocessBed::kToken), &error))
        return fail(error);
    QString sqlite;
    {
        QSqlQuery q(bed.sql());
        if (q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next())
            sqlite = q.value(0).toString();
    }
    out << "desk_stall: Qt " << qVersion() << ", SQLite " << sqlite << ", schema v"
        << bed.schemaVersion() << ", " << QThread::idealThreadCount() << " cores, platform "
        << QGuiApplication::platformName() << ", load " << loadAverage() << "\n"
        << "  log: " << o.leads << " Error leads seeded";
    if (o.logRows > 0)
        out << " over " << o.logRows << " generated entries";
    out << " (" << QString::number(clock.elapsed() / 1000.0, 'f', 1) << " s); fake Graph "
        << o.delayMs << " ms per call; engine concurrency "
        << bed.settings().workerConcurrency() << " (the desk's setting)\n"
        << "  probe: " << o.run.probeMs << " ms precise timer; scroll every " << o.run.scrollMs
        << " ms; stacks sampled after " << o.sampleAfterMs << " ms in one dispatch" << Qt::endl;

    auto database = Database::open(bed.databasePath(), &error);
    if (!database)
        return fail(error);
    ui::DeskSession desk(bed.settings(), std::move(*database));
    if (!desk.start(&error))
        out << "  warning: processing does not run: " << error << Qt::endl;
    // What-ifs that test a diagnosis; the header says they are on.
    if (o.whatIfNoRecount) {
        auto *errors = desk.controller().findChild<ErrorCountWatcher *>();
        if (!errors)
            return fail(QStringLiteral("the desk has no ErrorCountWatcher to detach"));
        QObject::disconnect(&desk.engine(), &ProcessingEngine::processed, errors,
                            &ErrorCountWatcher::refresh);
        out << "  WHAT-IF (not the product): the Error count is not recounted per processed lead"
            << Qt::endl;
    }
    if (o.globalPoolThreads > 0) {
        QThreadPool::globalInstance()->setMaxThreadCount(o.globalPoolThreads);
        out << "  WHAT-IF (not the product): Qt's global thread pool has " << o.globalPoolThreads
            << " threads" << Qt::endl;
    }
    out << "  Qt's global thread pool (QtConcurrent, and the raster engine's parallel fills): "
        << QThreadPool::globalInstance()->maxThreadCount() << " threads" << Qt::endl;
    desk.window().resize(1366, 800);
    desk.window().show();
    QElapsedTimer wait;
    wait.start();
    while (!desk.listener().isListening() && wait.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!desk.listener().isListening())
        return fail(QStringLiteral("the desk's listener did not start"));

    if (o.logRows > 0) {
        int reprocessing = 0;
        for (const QString &name : o.scenarios)
            reprocessing += name == QLatin1String("reprocess") || name == QLatin1String("both");
        if (o.repeat * reprocessing > 1)
            return fail(QStringLiteral("with --log-rows, at most one scenario may reprocess (the "
                                       "seeded leads cannot be reset under a generated history)"));
    }
    ScenarioRunner runner(app, desk, bed, o.run);
    QList<ScenarioResult> results;
    double reprocessSeconds = 0;
    for (int round = 0; round < o.repeat; ++round) {
        for (const QString &name : o.scenarios) {
            ScenarioSpec spec;
            if (name == QLatin1String("idle")) {
                spec.name = QStringLiteral("idle (scrolling only)");
                spec.idleSeconds = o.idleSeconds;
            } else if (name == QLatin1String("reprocess")) {
                spec.name = QStringLiteral("bulk reprocess %1").arg(o.leads);
                spec.reprocess = true;
            } else if (name == QLatin1String("webhooks")) {
                spec.name = QStringLiteral("webhooks %1/s").arg(o.run.rate);
                spec.webhookSeconds = o.webhookSeconds;
            } else if (name == QLatin1String("both")) {
                spec.name = QStringLiteral("reprocess + webhooks %1/s").arg(o.run.rate);
                spec.reprocess = true;
                spec.webhookSeconds = o.bothSeconds > 0 ? o.bothSeconds
                                      : reprocessSeconds > 0 ? std::ceil(reprocessSeconds)
                                                             : 30;
            } else {
                return fail(QStringLiteral("unknown scenario %1").arg(name));
            }
            // bed.seed() left the log fresh; later scenarios reset it (not under a history).
            const bool reset = o.logRows == 0 && !results.isEmpty();
            ScenarioResult r = runner.run(spec, reset, &error);
            if (!error.isEmpty()) {
                out << "  " << spec.name << ": " << error << Qt::endl;
                error.clear();
            }
            if (spec.reprocess && !spec.webhookSeconds)
                reprocessSeconds = r.jobSeconds;
            printScenario(out, app, r, o.stackMs, 3, o.stackFrames);
            results << std::move(r);
        }
    }
    printSummary(out, results);
    desk.stop();
    return 0;
}
