// reprocess_load: the processing benchmark of issue 3. Bulk reprocess of N Error leads against a
// fake Graph API answering after a fixed delay, at several engine concurrencies, in one process:
// leads/s, memory, CPU per thread group, and the webhook listener's latency while it runs.
// Prints figures; asserts nothing. See README.md for how to read them.

#include "fake_graph_server.h"
#include "fsync_probe.h"
#include "proc_readings.h"
#include "reprocess_bed.h"
#include "reprocess_options.h"
#include "reprocess_run.h"
#include "stage_costs.h"
#include "webhook_prober.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QThread>

#include <cstdio>

using namespace leadkeeper;
using namespace leadkeeper::bench;

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

QString mib(qint64 kib)
{
    return QString::number(double(kib) / 1024.0, 'f', 1);
}

QString pct(qint64 ns, double seconds)
{
    return QString::number(seconds > 0 ? double(ns) / 1e7 / seconds : 0, 'f', 0);
}

QString perLead(qint64 ns, int leads)
{
    return QString::number(leads > 0 ? double(ns) / 1e6 / leads : 0, 'f', 2);
}

QString probeLine(const QString &label, const WebhookProber::Result &r, qint64 listenerWaitNs)
{
    const LatencySummary &l = r.latency;
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
        .arg(label, -24)
        .arg(QString::number(r.ratePerSec(), 'f', 0), 6)
        .arg(l.count, 7)
        .arg(QString::number(l.p50Ms, 'f', 2), 7)
        .arg(QString::number(l.p90Ms, 'f', 2), 7)
        .arg(QString::number(l.p99Ms, 'f', 2), 7)
        .arg(QString::number(l.maxMs, 'f', 2), 8)
        .arg(QString::number(r.fromDue.p99Ms, 'f', 2), 11)
        .arg(r.non200, 6)
        .arg(r.late, 5)
        .arg(listenerWaitNs < 0
                 ? QStringLiteral("-")
                 : QString::number(r.sent > 0 ? double(listenerWaitNs) / 1e6 / r.sent : 0, 'f', 2),
             15);
}

QString sqliteVersion(ReprocessBed &bed)
{
    QSqlQuery q(bed.sql());
    return q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next() ? q.value(0).toString()
                                                                         : QStringLiteral("?");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QThread::currentThread()->setObjectName(QStringLiteral("bench-main"));
    ReprocessOptions o;
    QString error;
    if (!ReprocessOptions::parse(app.arguments(), &o, &error)) {
        if (!error.isEmpty())
            std::fprintf(stderr, "reprocess_load: %s\n", qPrintable(error));
        return error.isEmpty() ? 0 : 2;
    }

    ReprocessBed bed;
    if (!bed.open(o.workDir, o.graphThreads, o.delayMs, &error)) {
        std::fprintf(stderr, "reprocess_load: %s\n", qPrintable(error));
        return 1;
    }
    say(QStringLiteral(
            "reprocess_load: Qt %1, SQLite %2 (WAL, synchronous=FULL), schema v%3, %4 cores, "
            "load %5")
            .arg(QLatin1String(qVersion()), sqliteVersion(bed))
            .arg(bed.schemaVersion())
            .arg(proc_readings::cores())
            .arg(proc_readings::loadAverage()));
    say(QStringLiteral("database %1; fake Graph %2 threads, %3 ms per call; secrets: file")
            .arg(bed.databasePath())
            .arg(o.graphThreads)
            .arg(o.delayMs));
    say(QStringLiteral("disk now: %1 (quiet VM: ~0.15 ms; while another build runs: ~4 ms)")
            .arg(FsyncProbe::measure(bed.directory()).describe()));

    QElapsedTimer t;
    t.start();
    if (!bed.seed(o.leads, &error)) {
        std::fprintf(stderr, "reprocess_load: seeding failed: %s\n", qPrintable(error));
        return 1;
    }
    say(QStringLiteral("seeded %1 Error lead log entries (no payload) in %2 s; RSS %3 MiB")
            .arg(bed.seededCount())
            .arg(double(t.elapsed()) / 1000.0, 0, 'f', 2)
            .arg(mib(proc_readings::rssKiB())));
    if (!bed.startListener(&error)) {
        std::fprintf(stderr, "reprocess_load: listener: %s\n", qPrintable(error));
        return 1;
    }

    if (o.stageLeads > 0) {
        say(QStringLiteral(
                "\n== Where the time of one lead goes (one thread, no concurrency, %1 leads, "
                "fake Graph at 0 ms)")
                .arg(qMin<qint64>(o.stageLeads, bed.seededCount() / 3)));
        const QList<StageCosts::Stage> stages = StageCosts::measure(bed, o.stageLeads, &error);
        bed.graph().setDelayMs(o.delayMs);
        if (stages.isEmpty()) {
            say(QStringLiteral("stage costs failed: %1").arg(error));
            error.clear();
        }
        say(QStringLiteral("%1 %2 %3  note")
                .arg(QStringLiteral("stage"), -55)
                .arg(QStringLiteral("wall us"), 9)
                .arg(QStringLiteral("CPU us"), 8));
        double sumWall = 0;
        for (const StageCosts::Stage &s : stages) {
            if (s.note.isEmpty() || s.name.startsWith(QLatin1String("GraphClient")))
                sumWall += s.wallUsPerLead;
            say(QStringLiteral("%1 %2 %3  %4")
                    .arg(s.name, -55)
                    .arg(QString::number(s.wallUsPerLead, 'f', 0), 9)
                    .arg(QString::number(s.cpuUsPerLead, 'f', 0), 8)
                    .arg(s.note));
        }
        say(QStringLiteral("%1 %2")
                .arg(QStringLiteral("sum of the stages"), -55)
                .arg(QString::number(sumWall, 'f', 0), 9));
    }

    qint64 nextProbeId = ReprocessBed::kProbeIdBase;
    std::optional<WebhookProber::Result> baseline;
    qint64 baselineListenerWaitNs = -1;
    if (o.baselineSeconds > 0) {
        say(QStringLiteral(
                "\n== Listener baseline: %1 webhooks/s over %2 connections for %3 s, nothing "
                "else running (load %4)")
                .arg(o.probeRate)
                .arg(o.probeConnections)
                .arg(o.baselineSeconds)
                .arg(proc_readings::loadAverage()));
        WebhookProber prober(bed.listenerPort(), ReprocessBed::kAppSecret, o.probeRate, nextProbeId,
                             o.probeConnections);
        const qint64 wait0 = proc_readings::threadTimes(QStringLiteral("webhook-listene")).waitNs;
        prober.start();
        QThread::msleep(ulong(o.baselineSeconds) * 1000);
        baseline = prober.stop();
        baselineListenerWaitNs =
            proc_readings::threadTimes(QStringLiteral("webhook-listene")).waitNs - wait0;
        nextProbeId = prober.nextLeadgenId();
        say(baseline->latency.describe());
    }

    say(QStringLiteral("\n== Bulk reprocess of %1 Error leads, fake Graph %2 ms per call")
            .arg(bed.seededCount())
            .arg(o.delayMs));
    QList<RunFigures> runs;
    for (int round = 0; round < o.repeat; ++round) {
        for (int c : std::as_const(o.concurrency)) {
            const bool probed = o.probeAt.contains(c);
            say(QStringLiteral("-- concurrency %1%2 (load %3)")
                    .arg(c)
                    .arg(probed ? QStringLiteral(" + %1 webhooks/s").arg(o.probeRate) : QString())
                    .arg(proc_readings::loadAverage()));
            RunFigures f = runReprocess(bed, c, probed ? o.probeRate : 0, o.probeConnections,
                                        &nextProbeId, &error);
            if (!error.isEmpty()) {
                std::fprintf(stderr, "reprocess_load: run failed: %s\n", qPrintable(error));
                return 1;
            }
            say(QStringLiteral("   %1 leads/s, %2 s; %3; resolve %4 ms")
                    .arg(f.leadsPerSec(), 0, 'f', 0)
                    .arg(f.wallSec, 0, 'f', 2)
                    .arg(f.summary.describe())
                    .arg(f.resolveMs, 0, 'f', 1));
            say(QStringLiteral("   disk before: %1; after: %2")
                    .arg(f.fsyncBefore.describe(), f.fsyncAfter.describe()));
            if (f.probe)
                say(QStringLiteral("   listener meanwhile: %1").arg(f.probe->latency.describe()));
            runs << f;
        }
    }

    say(QStringLiteral(
            "\n== Throughput (target: >= 400 leads/s at concurrency 16, %1 ms per Graph call)")
            .arg(o.delayMs));
    say(QStringLiteral("   C  probe   leads  wall s  leads/s  ms/lead/worker  ideal/s  processed  "
                       "error  other   Leads  outbox"));
    for (const RunFigures &f : std::as_const(runs)) {
        const double ideal = o.delayMs > 0 ? f.concurrency * 1000.0 / o.delayMs : 0;
        say(QStringLiteral("%1  %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12")
                .arg(f.concurrency, 4)
                .arg(f.probe ? QStringLiteral("yes") : QStringLiteral("no"), -4)
                .arg(f.leads, 7)
                .arg(QString::number(f.wallSec, 'f', 2), 7)
                .arg(QString::number(f.leadsPerSec(), 'f', 0), 8)
                .arg(QString::number(f.msPerLeadInWorker(), 'f', 1), 15)
                .arg(QString::number(ideal, 'f', 0), 8)
                .arg(f.processedInDb, 10)
                .arg(f.errorInDb, 6)
                .arg(f.otherInDb, 6)
                .arg(f.leadsRows, 7)
                .arg(f.outboxRows, 7));
    }

    say(QStringLiteral(
        "\n== CPU (% of one core over the run; ms of CPU per lead) and memory (MiB)"));
    say(QStringLiteral("   C  probe  process  workers  fakeGraph  listener  probe  others-on-host  "
                       "ours ms/lead  workers rq-wait ms/lead  fsync p50 ms   RSS before  peak  "
                       "after  after-engine  trimmed"));
    for (const RunFigures &f : std::as_const(runs)) {
        // "Ours" is what Leadkeeper itself would spend: everything but the fake Graph and the
        // prober.
        const qint64 ours = f.processCpuNs - f.graphCpuNs - f.probeCpuNs;
        say(QStringLiteral("%1  %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16%17")
                .arg(f.concurrency, 4)
                .arg(f.probe ? QStringLiteral("yes") : QStringLiteral("no"), -4)
                .arg(pct(f.processCpuNs, f.wallSec), 8)
                .arg(pct(f.workersCpuNs, f.wallSec), 8)
                .arg(pct(f.graphCpuNs, f.wallSec), 10)
                .arg(pct(f.listenerCpuNs, f.wallSec), 9)
                .arg(pct(f.probeCpuNs, f.wallSec), 6)
                .arg(pct(qMax<qint64>(0, f.machineBusyNs - f.processCpuNs), f.wallSec), 15)
                .arg(perLead(ours, f.leads), 13)
                .arg(perLead(f.workersWaitNs, f.leads), 24)
                .arg(QStringLiteral("%1/%2")
                         .arg(f.fsyncBefore.p50Ms, 0, 'f', 2)
                         .arg(f.fsyncAfter.p50Ms, 0, 'f', 2),
                     13)
                .arg(mib(f.rssBeforeKiB), 12)
                .arg(mib(f.peakKiB), 5)
                .arg(mib(f.rssAfterKiB), 6)
                .arg(mib(f.rssAfterEngineKiB), 13)
                .arg(mib(f.rssTrimmedKiB), 8)
                .arg(f.peakWasReset ? QString() : QStringLiteral(" (peak: VmRSS sampled)")));
    }

    say(QStringLiteral("\n== Listener latency, signed single-lead webhooks over one keep-alive "
                       "connection (target: p99 < 10 ms while the reprocess runs)"));
    say(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
            .arg(QStringLiteral("condition"), -24)
            .arg(QStringLiteral("rate/s"), 6)
            .arg(QStringLiteral("200s"), 7)
            .arg(QStringLiteral("p50 ms"), 7)
            .arg(QStringLiteral("p90 ms"), 7)
            .arg(QStringLiteral("p99 ms"), 7)
            .arg(QStringLiteral("max ms"), 8)
            .arg(QStringLiteral("p99 due ms"), 11)
            .arg(QStringLiteral("non200"), 6)
            .arg(QStringLiteral("late"), 5)
            .arg(QStringLiteral("rq-wait ms/req"), 15));
    if (baseline)
        say(probeLine(QStringLiteral("idle (baseline)"), *baseline, baselineListenerWaitNs));
    for (const RunFigures &f : std::as_const(runs)) {
        if (f.probe)
            say(probeLine(QStringLiteral("reprocess at C=%1").arg(f.concurrency), *f.probe,
                          f.listenerWaitNs));
    }
    say(QStringLiteral("\nload at end %1; peak RSS of the whole program %2 MiB")
            .arg(proc_readings::loadAverage(), mib(proc_readings::peakRssKiB())));
    return 0;
}
