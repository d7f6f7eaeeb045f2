#include "report.h"

#include <algorithm>

namespace leadkeeper::bench {

namespace {

QString ms(double v)
{
    return QString::number(v, 'f', v < 10 ? 2 : 1);
}

} // namespace

StallFigures StallFigures::of(ScenarioResult &r)
{
    StallFigures f;
    const LatencySummary s = LatencySummary::of(r.lateness, 1e6);
    f.ticks = s.count;
    f.maxMs = s.maxMs;
    f.p50Ms = s.p50Ms;
    f.p99Ms = s.p99Ms;
    f.p999Ms = s.p999Ms;
    for (qint64 v : r.lateness) {
        f.over50 += v > 50'000'000;
        f.over16 += v > 16'000'000;
    }
    f.dispatches = qint64(r.dispatches.size());
    for (qint64 v : r.dispatches) {
        f.longestDispatchMs = std::max(f.longestDispatchMs, double(v) / 1e6);
        f.dispatchesOver50 += v > 50'000'000;
    }
    return f;
}

void printScenario(QTextStream &out, TimedApplication &app, ScenarioResult &r, double stackMs,
                   int stacksPerDispatch, int frames)
{
    const StallFigures f = StallFigures::of(r);
    out << "\n== " << r.spec.name << "   (load " << r.loadBefore << " -> " << r.loadAfter
        << "; fsync before: " << r.fsync << ")\n";
    const double window = std::max(r.windowSeconds, 1e-9);
    out << "  window " << QString::number(r.windowSeconds, 'f', 1) << " s, " << r.scrolls
        << " scrollbar jumps; CPU: this process "
        << QString::number(100 * r.processCpuSeconds / window, 'f', 0) << " %, its GUI thread "
        << QString::number(100 * r.guiCpuSeconds / window, 'f', 0)
        << " % (of one core); other processes "
        << QString::number(100 * r.othersCpuSeconds / window, 'f', 0) << " %\n";
    out << "  threads, CPU % / waiting for a core %:";
    for (const ScenarioResult::ThreadGroup &t : r.threads) {
        if (t.cpuSeconds + t.waitSeconds < 0.005 * window)
            continue;
        out << "  " << t.name << " " << QString::number(100 * t.cpuSeconds / window, 'f', 0)
            << "/" << QString::number(100 * t.waitSeconds / window, 'f', 0);
    }
    out << "\n";
    if (r.spec.reprocess)
        out << "  bulk reprocess: " << r.leads << " leads in " << QString::number(r.jobSeconds, 'f', 1)
            << " s = " << QString::number(r.jobSeconds > 0 ? r.leads / r.jobSeconds : 0, 'f', 0)
            << " leads/s  (" << r.jobSummary << ")\n";
    if (r.spec.webhookSeconds > 0)
        out << "  webhooks: " << r.webhooksAnswered << " answered 200 in "
            << QString::number(r.webhookSeconds, 'f', 1) << " s, non-200 " << r.webhooksNon200
            << ", connection errors " << r.webhookErrors << ", never sent " << r.webhooksMissed
            << "; latency " << r.webhookLatency.describe() << "\n";
    out << "  GUI stall (" << r.probeMs << " ms tick, " << f.ticks << " ticks): max " << ms(f.maxMs)
        << " ms  p99 " << ms(f.p99Ms) << " ms  p999 " << ms(f.p999Ms) << " ms  >50 ms: " << f.over50
        << "  (>16 ms: " << f.over16 << ", p50 " << ms(f.p50Ms) << " ms)\n";
    out << "  GUI dispatches: " << f.dispatches << ", longest " << ms(f.longestDispatchMs)
        << " ms, >50 ms: " << f.dispatchesOver50 << "\n";
    if (r.longest.empty())
        return;
    out << "  longest dispatches (>= 16 ms), what received them:\n";
    for (const TimedApplication::Dispatch &d : r.longest) {
        out << "    " << QStringLiteral("%1 ms").arg(ms(d.durationNs / 1e6), 8) << "  "
            << TimedApplication::eventName(d.eventType) << " -> " << d.receiverClass;
        if (*d.parentClass)
            out << " (child of " << d.parentClass << ")";
        out << "\n";
    }
    for (const TimedApplication::Dispatch &d : r.longest) {
        if (d.durationNs < stackMs * 1e6)
            continue;
        const QList<QStringList> stacks = app.stacksOf(d.seq);
        out << "  -- GUI thread stacks during the " << ms(d.durationNs / 1e6) << " ms "
            << TimedApplication::eventName(d.eventType) << " -> " << d.receiverClass << " ("
            << stacks.size() << " samples)\n";
        for (int s = 0; s < stacks.size() && s < stacksPerDispatch; ++s) {
            // First, middle and last sample when there are more than asked for.
            const int pick = stacks.size() <= stacksPerDispatch
                                 ? s
                                 : s * (int(stacks.size()) - 1) / std::max(1, stacksPerDispatch - 1);
            out << "     sample " << pick + 1 << ":\n";
            const QStringList &frameList = stacks.at(pick);
            for (int i = 0; i < frameList.size() && i < frames; ++i)
                out << "       " << frameList.at(i) << "\n";
        }
    }
    out.flush();
}

void printSummary(QTextStream &out, QList<ScenarioResult> &results)
{
    out << "\n== summary (GUI stall = how late a " << (results.isEmpty() ? 5 : results.first().probeMs)
        << " ms tick fired; target: max < 50 ms)\n";
    out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8  %9\n")
               .arg(QStringLiteral("scenario"), -28)
               .arg(QStringLiteral("max"), 8)
               .arg(QStringLiteral("p99"), 7)
               .arg(QStringLiteral("p999"), 7)
               .arg(QStringLiteral(">50ms"), 6)
               .arg(QStringLiteral("disp.max"), 9)
               .arg(QStringLiteral("leads/s"), 8)
               .arg(QStringLiteral("webhooks"), 9)
               .arg(QStringLiteral("load before -> after"));
    for (ScenarioResult &r : results) {
        const StallFigures f = StallFigures::of(r);
        out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8  %9\n")
                   .arg(r.spec.name.left(28), -28)
                   .arg(ms(f.maxMs), 8)
                   .arg(ms(f.p99Ms), 7)
                   .arg(ms(f.p999Ms), 7)
                   .arg(f.over50, 6)
                   .arg(ms(f.longestDispatchMs), 9)
                   .arg(r.spec.reprocess && r.jobSeconds > 0
                            ? QString::number(r.leads / r.jobSeconds, 'f', 0)
                            : QStringLiteral("-"),
                        8)
                   .arg(r.spec.webhookSeconds > 0 ? QString::number(r.webhooksAnswered)
                                                  : QStringLiteral("-"),
                        9)
                   .arg(r.loadBefore + QStringLiteral(" -> ") + r.loadAfter);
    }
    out.flush();
}

} // namespace leadkeeper::bench
