#pragma once

#include <QString>

namespace leadkeeper::bench {

/**
 * How long an fsync takes right now on the filesystem of `directory`: `count` appends of 4 KiB to
 * a scratch file, each followed by fsync, timed. A commit at synchronous=FULL pays about one of
 * these, so this says whether the disk was quiet (another build writing object files makes it
 * ten or thirty times slower on this VM). The scratch file is removed.
 */
struct FsyncProbe
{
    double p50Ms = -1;
    double p99Ms = -1;
    double maxMs = -1;

    static FsyncProbe measure(const QString &directory, int count = 100);
    QString describe() const;
};

} // namespace leadkeeper::bench
