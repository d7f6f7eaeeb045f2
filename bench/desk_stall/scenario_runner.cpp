#include "scenario_runner.h"

#include "desk_session.h"
#include "desk_controller.h"
#include "load_generator.h"
#include "main_window.h"
#include "processing/processing_engine.h"
#include "fsync_probe.h"
#include "proc_readings.h"
#include "processing/reprocess_job.h"
#include "reprocess_bed.h"
#include "reprocess_controller.h"
#include "ingest/listener_thread.h"
#include "tick_probe.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <atomic>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>

namespace leadkeeper::bench {

namespace {

// Lets the desk's event loop run for `ms` (nothing is recorded unless recording is on).
void pump(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double cpuSeconds(int who)
{
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// This process's threads by name (Linux thread names are 15 characters at most).
const char *const kThreadGroups[][2] = {
    {"desk_stall", "GUI thread"},
    {"processing", "engine workers"},
    {"QNetworkAccessM", "their network threads"},
    {"webhook-", "webhook listener (acceptor, handlers, writer)"},
    {"LeadLogReader", "lead log reader"},
    {"Thread (pooled)", "QtConcurrent pool"},
    {"fixture-http", "fake Graph"},
    {"bench-sender", "webhook sender (bench)"},
    {"stall-watchdog", "stack sampler (bench)"},
};

QList<proc_readings::ThreadTimes> threadTimes()
{
    QList<proc_readings::ThreadTimes> times;
    for (const auto &group : kThreadGroups)
        times << proc_readings::threadTimes(QString::fromLatin1(group[0]));
    return times;
}

} // namespace

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() >= 3 ? QString::fromLatin1(parts[0] + ' ' + parts[1] + ' ' + parts[2])
                             : QStringLiteral("?");
}

ScenarioRunner::ScenarioRunner(TimedApplication &app, ui::DeskSession &desk, ReprocessBed &bed,
                               const ScenarioOptions &options)
    : m_app(app), m_desk(desk), m_bed(bed), m_options(options),
      m_requests(QByteArray(ReprocessBed::kAppSecret)),
      m_probe(std::make_unique<TickProbe>(options.probeMs))
{
}

ScenarioRunner::~ScenarioRunner() = default;

bool ScenarioRunner::settle(bool reset, QString *error)
{
    // The previous scenario's webhook leads are processed (the engine stayed idle for a second),
    // then the bed is put back to its seeded state, then the desk shows it.
    QElapsedTimer idle, limit;
    idle.start();
    limit.start();
    while (idle.elapsed() < 1000 && limit.elapsed() < 180000) {
        pump(20);
        if (m_desk.engine().inFlight() > 0)
            idle.restart();
    }
    if (reset && !m_bed.resetForRun(error))
        return false;
    pump(2000);
    return true;
}

ScenarioResult ScenarioRunner::run(const ScenarioSpec &spec, bool reset, QString *error)
{
    ScenarioResult r;
    r.spec = spec;
    r.probeMs = m_options.probeMs;
    if (!settle(reset, error))
        return r;
    r.fsync = FsyncProbe::measure(m_bed.directory(), 50).describe();

    ui::ReprocessController *actions = m_desk.controller().actions();
    QScrollBar *bar = m_desk.window().leadTable()->verticalScrollBar();
    QRandomGenerator random(7);
    QTimer scroll;
    scroll.setInterval(m_options.scrollMs);
    QObject::connect(&scroll, &QTimer::timeout, &scroll, [&] {
        bar->setValue(int(random.bounded(bar->maximum() + 1)));
        ++r.scrolls;
    });

    bool jobRunning = spec.reprocess;
    qint64 jobStartNs = 0, jobEndNs = 0;
    const auto started = QObject::connect(actions, &ui::ReprocessController::jobStarted, actions,
                                          [&](const QString &, int total) {
                                              r.leads = total;
                                              jobStartNs = monotonicNs();
                                          });
    const auto finished = QObject::connect(actions, &ui::ReprocessController::jobFinished, actions,
                                           [&](const ReprocessSummary &summary) {
                                               jobEndNs = monotonicNs();
                                               r.jobSummary = summary.describe();
                                               jobRunning = false;
                                           });

    std::atomic<bool> sending = spec.webhookSeconds > 0;
    LoadSpec load;
    LoadResult sent;
    std::thread sender;
    if (sending) {
        m_requests.reserve(qsizetype(m_options.rate * spec.webhookSeconds * 1.05) + 100);
        load.port = m_desk.listener().port();
        load.connections = m_options.connections;
        load.warmupSeconds = 0;
        load.seconds = spec.webhookSeconds;
        load.rate = m_options.rate;
    }

    r.loadBefore = loadAverage();
    const double processCpu = cpuSeconds(RUSAGE_SELF);
    const double guiCpu = cpuSeconds(RUSAGE_THREAD);
    const qint64 machineBusy = proc_readings::machineBusyNs();
    const QList<proc_readings::ThreadTimes> threadsBefore = threadTimes();
    m_app.startRecording();
    m_probe->start();
    if (m_options.scrollMs > 0)
        scroll.start();
    const qint64 startNs = monotonicNs();
    if (spec.reprocess) {
        // "Error leads of Acme Roofing": the seeded ones, not a generated history's.
        ReprocessSelection errors;
        errors.statuses = {LeadStatus::Error};
        errors.pageId = ReprocessBed::kPageId;
        actions->processSelection(errors, QStringLiteral("Error leads of Acme Roofing"));
    }
    if (sending)
        sender = std::thread([&] {
            pthread_setname_np(pthread_self(), "bench-sender");
            sent = LoadGenerator::run(m_requests, load);
            sending = false;
        });

    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        const bool idleOver = monotonicNs() - startNs >= qint64(spec.idleSeconds * 1e9);
        if (!jobRunning && !sending && idleOver)
            loop.quit();
    });
    check.start(20);
    loop.exec();
    const qint64 endNs = monotonicNs();
    r.processCpuSeconds = cpuSeconds(RUSAGE_SELF) - processCpu;
    r.guiCpuSeconds = cpuSeconds(RUSAGE_THREAD) - guiCpu;
    r.othersCpuSeconds =
        double(proc_readings::machineBusyNs() - machineBusy) / 1e9 - r.processCpuSeconds;
    const QList<proc_readings::ThreadTimes> threadsAfter = threadTimes();
    for (qsizetype i = 0; i < threadsAfter.size(); ++i)
        r.threads << ScenarioResult::ThreadGroup{
            QString::fromLatin1(kThreadGroups[i][1]),
            double(threadsAfter[i].cpuNs - threadsBefore[i].cpuNs) / 1e9,
            double(threadsAfter[i].waitNs - threadsBefore[i].waitNs) / 1e9};
    m_probe->stop();
    m_app.stopRecording();
    scroll.stop();
    r.loadAfter = loadAverage();
    if (sender.joinable())
        sender.join();
    QObject::disconnect(started);
    QObject::disconnect(finished);

    r.windowSeconds = double(endNs - startNs) / 1e9;
    r.lateness = m_probe->lateness();
    r.dispatches = m_app.durations();
    r.longest = m_app.longest(16.0, 12);
    if (spec.reprocess)
        r.jobSeconds = double(jobEndNs - jobStartNs) / 1e9;
    if (spec.webhookSeconds > 0) {
        if (!sent.error.isEmpty())
            *error = QStringLiteral("webhooks: %1").arg(sent.error);
        r.webhooksAnswered = sent.okAll;
        r.webhooksNon200 = sent.non200;
        r.webhookErrors = sent.connectionErrors;
        r.webhooksMissed = sent.missedSends;
        r.webhookSeconds = sent.seconds;
        r.webhookLatency = LatencySummary::of(sent.latencyNs, 1e6);
    }
    return r;
}

} // namespace leadkeeper::bench
