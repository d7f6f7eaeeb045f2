#include "step_printer.h"

#include "latency_summary.h"

#include <cstdarg>
#include <cstdio>

namespace leadkeeper::bench {

void say(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
    std::fflush(stdout);
}

StepPrinter::StepPrinter(const QString &dumpFile)
{
    if (dumpFile.isEmpty())
        return;
    m_dump.setFileName(dumpFile);
    if (m_dump.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        m_dump.write("step,server,connections,done_ms,latency_ms\n");
    else
        say("   cannot write %s: %s\n", dumpFile.toLocal8Bit().constData(),
            m_dump.errorString().toLocal8Bit().constData());
}

void StepPrinter::header()
{
    say("   %-18s %3s %8s %7s %7s %7s %7s %6s %4s | %5s %5s %7s | %5s %5s %6s %6s\n", "server",
        "K", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non200", "err", "srv%", "wait%",
        "us/req", "gen%", "rest%", "other%", "oIO MB");
}

double StepPrinter::print(const QString &label, int connections, StepFigures &f)
{
    ++m_step;
    const QByteArray name = label.toLocal8Bit();
    if (m_dump.isOpen()) {
        const QByteArray prefix = QByteArray::number(m_step) + ',' + name + ','
                                  + QByteArray::number(connections) + ',';
        for (std::size_t i = 0; i < f.result.latencyNs.size(); ++i)
            m_dump.write(prefix + QByteArray::number(double(f.result.doneAtNs[i]) / 1e6, 'f', 3) + ','
                         + QByteArray::number(double(f.result.latencyNs[i]) / 1e6, 'f', 3) + '\n');
        m_dump.flush();
    }
    const LatencySummary lat = LatencySummary::of(f.result.latencyNs, 1e6); // sorts: after the dump
    const double rps = f.result.seconds > 0 ? double(f.result.ok) / f.result.seconds : 0;
    say("   %-18s %3d %8.0f %7.2f %7.2f %7.2f %7.2f %6lld %4lld | %5.0f %5.0f %7.1f | %5.0f %5.0f %6.0f "
        "%6.0f\n",
        name.constData(), connections, rps, lat.p50Ms, lat.p90Ms, lat.p99Ms, lat.maxMs,
        static_cast<long long>(f.result.non200), static_cast<long long>(f.result.connectionErrors),
        f.usage.serverThreadCpu, f.usage.serverThreadWait, f.usage.serverUsPerResponse,
        f.usage.generatorCpu, f.usage.restOfUsCpu, f.usage.othersCpu, f.usage.othersDiskMB);
    if (!f.result.error.isEmpty())
        say("      ERROR: %s\n", f.result.error.toLocal8Bit().constData());
    if (f.result.non200 > 0)
        say("      first non-200 status: %d\n", f.result.firstNon200);
    return rps;
}

} // namespace leadkeeper::bench
