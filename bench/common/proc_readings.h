#pragma once

#include <QString>

namespace leadkeeper::bench {

/**
 * What the kernel knows about this process and the machine (/proc), read cheaply between and
 * during runs: memory, CPU time per group of threads, and the load average that says whether a
 * figure was measured on a quiet machine. Linux only; every reader returns -1 (or an empty value)
 * when its file cannot be read.
 */
namespace proc_readings {

/// VmRSS of /proc/self/status, KiB.
qint64 rssKiB();
/// VmHWM (peak RSS since start or since the last resetPeakRss()), KiB.
qint64 peakRssKiB();
/// Resets VmHWM to the current RSS (writes "5" to /proc/self/clear_refs); false if refused.
bool resetPeakRss();

/// CPU time (user + system, ns) and run-queue wait (ns: runnable but no free core) of this
/// process's threads whose name starts with `namePrefix` ("" = all threads).
struct ThreadTimes
{
    qint64 cpuNs = 0;
    qint64 waitNs = 0;
    int threads = 0;
};
ThreadTimes threadTimes(const QString &namePrefix);

/// CPU time (user + system) of the whole process, ns, including threads that have exited.
qint64 processCpuNs();
/// Busy CPU time of the whole machine, ns summed over cores (/proc/stat), to see whether
/// something else was running during a measurement.
qint64 machineBusyNs();

/// "0.28 0.22 0.09" from /proc/loadavg.
QString loadAverage();
int cores();

} // namespace proc_readings

} // namespace leadkeeper::bench
