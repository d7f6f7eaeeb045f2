#pragma once

#include <QString>

#include <vector>

namespace leadkeeper::bench {

/// Percentiles of a set of latencies (microseconds), for printing.
struct LatencySummary
{
    int count = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;

    /// Sorts `micros` in place.
    static LatencySummary of(std::vector<qint64> &micros);
    /// "n=2000 p50 0.61 ms  p90 0.85 ms  p99 1.90 ms  max 4.12 ms"
    QString describe() const;
};

} // namespace leadkeeper::bench
