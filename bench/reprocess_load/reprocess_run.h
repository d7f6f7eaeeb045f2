#pragma once

#include "fsync_probe.h"
#include "webhook_prober.h"

#include "processing/reprocess_job.h"

#include <optional>

namespace leadkeeper::bench {

class ReprocessBed;

/// The figures of one bulk reprocess at one concurrency.
struct RunFigures
{
    int concurrency = 0;
    int leads = 0;
    double resolveMs = 0; ///< ReprocessJob::resolve of the Error selection
    double wallSec = 0;   ///< job start() to finished()
    double leadsPerSec() const { return wallSec > 0 ? leads / wallSec : 0; }
    /// Little's law: the mean time one worker spends on one lead (Graph delay included).
    double msPerLeadInWorker() const
    {
        return leads > 0 ? concurrency * wallSec * 1000.0 / leads : 0;
    }
    ReprocessSummary summary;
    qint64 processedInDb = 0, errorInDb = 0, otherInDb = 0, leadsRows = 0, outboxRows = 0;

    qint64 rssBeforeKiB = 0, peakKiB = 0, rssAfterKiB = 0, rssAfterEngineKiB = 0;
    /// After malloc_trim(0): what is left once glibc returns its free arena memory (the worker
    /// threads' arenas keep freed memory otherwise, which looks like growth but is reused).
    qint64 rssTrimmedKiB = 0;
    bool peakWasReset = false; ///< VmHWM was reset before the run, so it is this run's peak

    // CPU during the job, ns.
    qint64 processCpuNs = 0, workersCpuNs = 0, workersWaitNs = 0, graphCpuNs = 0, listenerCpuNs = 0,
           listenerWaitNs = 0, probeCpuNs = 0, machineBusyNs = 0;
    QString loadStart, loadEnd;
    FsyncProbe fsyncBefore, fsyncAfter;

    std::optional<WebhookProber::Result> probe;
};

/**
 * One measured bulk reprocess: resets the bed, resolves the Error selection the way the desk does,
 * runs a ReprocessJob over it on a fresh ProcessingEngine at `concurrency`, and reads time, result
 * counts (from the job and from the database), memory and CPU per thread group, and the fsync
 * time of the disk just before and after (was it quiet?). When probeRate > 0
 * a WebhookProber plays Meta against the bed's listener for exactly the duration of the job.
 * Runs the calling thread's event loop until the job has finished.
 */
RunFigures runReprocess(ReprocessBed &bed, int concurrency, int probeRate, int probeConnections,
                        qint64 *nextProbeId, QString *error);

} // namespace leadkeeper::bench
