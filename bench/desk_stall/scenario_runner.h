#pragma once

#include "timed_application.h"
#include "latency_summary.h"
#include "request_pool.h"

#include <QString>

#include <memory>
#include <vector>

namespace leadkeeper::ui {
class DeskSession;
}

namespace leadkeeper::bench {

class ReprocessBed;
class TickProbe;

/// What one scenario does to the running desk.
struct ScenarioSpec
{
    QString name;
    bool reprocess = false;       ///< "Process" the Error leads of the bed's page, as the desk does
    double webhookSeconds = 0;    ///< send signed webhooks for this long (0 = none)
    double idleSeconds = 0;       ///< neither: just scroll for this long
};

struct ScenarioOptions
{
    double rate = 200;            ///< webhooks per second
    int connections = 4;          ///< keep-alive connections they share
    int probeMs = 5;
    int scrollMs = 100;           ///< 0 = do not scroll
};

/// What came out of one scenario: the probe's figures and the work that was done meanwhile.
struct ScenarioResult
{
    ScenarioSpec spec;
    QString loadBefore, loadAfter;
    QString fsync; ///< the work folder's fsync latency just before the scenario
    double windowSeconds = 0;
    std::vector<qint64> lateness;          ///< every probe tick's lateness, ns
    int probeMs = 5;
    std::vector<qint64> dispatches;        ///< every GUI dispatch's duration, ns
    std::vector<TimedApplication::Dispatch> longest;
    // the bulk reprocess
    int leads = 0;
    double jobSeconds = 0;
    QString jobSummary;
    // the webhooks
    qint64 webhooksAnswered = 0, webhooksNon200 = 0, webhookErrors = 0, webhooksMissed = 0;
    double webhookSeconds = 0;
    LatencySummary webhookLatency;
    int scrolls = 0;
    double processCpuSeconds = 0; ///< this process (every thread) during the window
    double guiCpuSeconds = 0;     ///< the GUI thread alone
    /// CPU and run-queue wait (runnable, no free core) per group of this process's threads.
    struct ThreadGroup
    {
        QString name;
        double cpuSeconds = 0;
        double waitSeconds = 0;
    };
    QList<ThreadGroup> threads;
    double othersCpuSeconds = 0;  ///< every other process on the machine
};

/**
 * Runs scenarios against a composed desk on the GUI thread's event loop, with the tick probe
 * and the dispatch timer recording, the table scrolled to a random row every scrollMs, and
 * (per scenario) a bulk reprocess of every Error lead started as the desk starts one
 * (ReprocessController::processSelection) and webhooks at a fixed rate from a thread of their
 * own (bench/webhook_load's LoadGenerator and RequestPool). Before each scenario the bed is reset
 * (ReprocessBed::resetForRun) once the engine is idle, and the desk is given time to settle.
 */
class ScenarioRunner
{
public:
    ScenarioRunner(TimedApplication &app, ui::DeskSession &desk, ReprocessBed &bed,
                   const ScenarioOptions &options);
    ~ScenarioRunner();

    /// `reset` false: start from the log as it is (the bed's reset deletes and rewrites every
    /// entry it did not seed, so a generated history under it allows no reset).
    ScenarioResult run(const ScenarioSpec &spec, bool reset, QString *error);

private:
    bool settle(bool reset, QString *error);

    TimedApplication &m_app;
    ui::DeskSession &m_desk;
    ReprocessBed &m_bed;
    ScenarioOptions m_options;
    RequestPool m_requests;
    std::unique_ptr<TickProbe> m_probe;
};

/// /proc/loadavg's first three fields.
QString loadAverage();

} // namespace leadkeeper::bench
