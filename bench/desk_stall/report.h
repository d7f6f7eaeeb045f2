#pragma once

#include "scenario_runner.h"

#include <QList>
#include <QTextStream>

namespace leadkeeper::bench {

/// The probe's figures of one scenario: lateness of the ticks, and the GUI dispatches.
struct StallFigures
{
    int ticks = 0;
    double maxMs = 0, p99Ms = 0, p999Ms = 0, p50Ms = 0;
    int over50 = 0, over16 = 0;
    qint64 dispatches = 0;
    double longestDispatchMs = 0;
    int dispatchesOver50 = 0;

    static StallFigures of(ScenarioResult &result);
};

/**
 * Prints one scenario: the work done (leads/s, webhooks answered), the stall figures, the longest
 * GUI dispatches with what received them, and for those of at least `stackMs` the GUI thread's
 * sampled call stacks (at most `stacksPerDispatch` each, `frames` frames deep).
 */
void printScenario(QTextStream &out, TimedApplication &app, ScenarioResult &result,
                   double stackMs, int stacksPerDispatch, int frames);

/// One line per scenario, for comparing runs.
void printSummary(QTextStream &out, QList<ScenarioResult> &results);

} // namespace leadkeeper::bench
