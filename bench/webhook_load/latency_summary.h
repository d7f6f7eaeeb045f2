#pragma once

#include <QtGlobal>

#include <vector>

namespace leadkeeper::bench {

/// Percentiles of a set of latencies (nearest rank), in milliseconds.
struct LatencySummary
{
    qint64 count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;

    /// Sorts `nanoseconds` in place.
    static LatencySummary of(std::vector<qint64> &nanoseconds);
};

} // namespace leadkeeper::bench
