#pragma once

#include <QString>

namespace leadkeeper::bench {

/**
 * Reads what the kernel knows about a process and the machine (/proc), to tell whether a figure
 * was measured on a quiet machine and where the CPU went. pid 0 means this process.
 */
namespace process_stats {

/// Resident set size in KiB (VmRSS of /proc/<pid>/status); -1 if unreadable.
qint64 rssKiB(qint64 pid = 0);
/// Peak resident set size in KiB (VmHWM).
qint64 peakRssKiB(qint64 pid = 0);

/// On-CPU and run-queue-wait time of a thread, in ns (/proc/<pid>/task/<tid>/schedstat).
struct ThreadTimes
{
    qint64 onCpuNs = 0;
    qint64 waitNs = 0; ///< runnable but waiting for a core: the machine was busy
    bool found = false;
};
/// Summed over the threads of `pid` whose name (comm, 15 chars) starts with `namePrefix`;
/// an empty prefix sums every thread.
ThreadTimes threadTimes(qint64 pid, const QString &namePrefix);

/// CPU time (user + system) of a whole process, in ns, from /proc/<pid>/stat (10 ms ticks).
qint64 processCpuNs(qint64 pid = 0);

/// Busy CPU time of the whole machine, in ns, summed over cores (/proc/stat).
qint64 machineBusyNs();

/// Bytes this process (pid 0) or that one caused to be written to storage (/proc/<pid>/io).
qint64 diskWriteBytes(qint64 pid = 0);
/// Bytes written to the machine's disks (/proc/diskstats, whole disks only).
qint64 machineDiskWriteBytes();

/// "0.28 0.22 0.09" from /proc/loadavg.
QString loadAverage();
/// Number of online cores.
int cores();

} // namespace process_stats

} // namespace leadkeeper::bench
