#pragma once

#include <QString>

#include <vector>

namespace leadkeeper::bench {

/// Nearest-rank percentiles and the mean of a set of latencies, in milliseconds, for printing.
/// Shared by every benchmark so their figures are computed the same way.
struct LatencySummary
{
    int count = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    double meanMs = 0;

    /// Sorts `samples` in place; `samplesPerMs` is their unit (1000 for µs, 1e6 for ns).
    static LatencySummary of(std::vector<qint64> &samples, double samplesPerMs);
    /// "n=2000  p50 0.61 ms  p90 0.85 ms  p99 1.90 ms  max 4.12 ms"
    QString describe() const;
};

} // namespace leadkeeper::bench
