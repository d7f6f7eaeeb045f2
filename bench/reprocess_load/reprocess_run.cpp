#include "reprocess_run.h"

#include "proc_readings.h"
#include "reprocess_bed.h"

#include "processing/processing_engine.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <malloc.h>

namespace leadkeeper::bench {

RunFigures runReprocess(ReprocessBed &bed, int concurrency, int probeRate, int probeConnections,
                        qint64 *nextProbeId, QString *error)
{
    RunFigures f;
    f.concurrency = concurrency;
    if (!bed.resetForRun(error))
        return f;

    QElapsedTimer t;
    t.start();
    ReprocessSelection selection;
    selection.statuses = {LeadStatus::Error};
    const QList<qint64> ids = ReprocessJob::resolve(bed.databasePath(), selection, error);
    f.resolveMs = double(t.nsecsElapsed()) / 1e6;
    if (!error->isEmpty())
        return f;
    f.leads = int(ids.size());

    f.rssBeforeKiB = proc_readings::rssKiB();
    f.peakWasReset = proc_readings::resetPeakRss();
    auto engine = std::make_unique<ProcessingEngine>(bed.engineConfig(concurrency));
    ProcessOptions options;
    options.actor = QStringLiteral("bench");
    ReprocessJob job(*engine, ids, options);

    std::unique_ptr<WebhookProber> prober;
    if (probeRate > 0) {
        prober = std::make_unique<WebhookProber>(bed.listenerPort(), ReprocessBed::kAppSecret,
                                                 probeRate, *nextProbeId, probeConnections);
    }

    QEventLoop loop;
    QObject::connect(&job, &ReprocessJob::finished, &loop, &QEventLoop::quit);
    // VmHWM is the figure; sampling VmRSS too shows it when the kernel refused the reset.
    qint64 sampledPeak = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout,
                     [&] { sampledPeak = qMax(sampledPeak, proc_readings::rssKiB()); });
    sampler.start(50);

    f.fsyncBefore = FsyncProbe::measure(bed.directory());
    f.loadStart = proc_readings::loadAverage();
    const qint64 cpu0 = proc_readings::processCpuNs();
    const qint64 machine0 = proc_readings::machineBusyNs();
    const auto graph0 = proc_readings::threadTimes(QStringLiteral("fixture-http"));
    const auto listener0 = proc_readings::threadTimes(QStringLiteral("webhook-"));
    if (prober)
        prober->start();
    t.restart();
    job.start();
    loop.exec();
    f.wallSec = double(t.nsecsElapsed()) / 1e9;
    if (prober) {
        f.probe = prober->stop();
        *nextProbeId = prober->nextLeadgenId();
    }
    sampler.stop();
    f.processCpuNs = proc_readings::processCpuNs() - cpu0;
    f.machineBusyNs = proc_readings::machineBusyNs() - machine0;
    // The engine's threads live as long as the engine, so all of their time is still readable.
    const auto workers = proc_readings::threadTimes(QStringLiteral("processing"));
    f.workersCpuNs = workers.cpuNs;
    f.workersWaitNs = workers.waitNs;
    f.graphCpuNs = proc_readings::threadTimes(QStringLiteral("fixture-http")).cpuNs - graph0.cpuNs;
    const auto listener1 = proc_readings::threadTimes(QStringLiteral("webhook-"));
    f.listenerCpuNs = listener1.cpuNs - listener0.cpuNs;
    f.listenerWaitNs = listener1.waitNs - listener0.waitNs;
    f.probeCpuNs = f.probe ? f.probe->cpuNs : 0;
    f.loadEnd = proc_readings::loadAverage();
    f.fsyncAfter = FsyncProbe::measure(bed.directory());
    f.summary = job.summary();
    f.peakKiB = qMax(proc_readings::peakRssKiB(), sampledPeak);
    f.rssAfterKiB = proc_readings::rssKiB();
    prober.reset();
    engine.reset();
    f.rssAfterEngineKiB = proc_readings::rssKiB();
    malloc_trim(0);
    f.rssTrimmedKiB = proc_readings::rssKiB();

    const ReprocessBed::Counts c = bed.seededCounts();
    f.processedInDb = c.processed;
    f.errorInDb = c.error;
    f.otherInDb = c.pending + c.other;
    f.leadsRows = c.leads;
    f.outboxRows = c.outbox;
    return f;
}

} // namespace leadkeeper::bench
