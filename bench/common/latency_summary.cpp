#include "latency_summary.h"

#include <algorithm>
#include <cmath>

namespace leadkeeper::bench {

LatencySummary LatencySummary::of(std::vector<qint64> &samples, double samplesPerMs)
{
    LatencySummary s;
    s.count = int(samples.size());
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    // Nearest rank: p99 of 2,000 samples is the 1,980th smallest.
    auto rank = [&](double p) {
        const size_t r = size_t(std::max(1.0, std::ceil(p / 100.0 * double(samples.size()))));
        return double(samples[std::min(r, samples.size()) - 1]) / samplesPerMs;
    };
    double sum = 0;
    for (qint64 v : samples)
        sum += double(v);
    s.p50Ms = rank(50);
    s.p90Ms = rank(90);
    s.p99Ms = rank(99);
    s.p999Ms = rank(99.9);
    s.maxMs = double(samples.back()) / samplesPerMs;
    s.meanMs = sum / double(samples.size()) / samplesPerMs;
    return s;
}

QString LatencySummary::describe() const
{
    if (count == 0)
        return QStringLiteral("n=0");
    return QStringLiteral("n=%1  p50 %2 ms  p90 %3 ms  p99 %4 ms  max %5 ms")
        .arg(count)
        .arg(p50Ms, 0, 'f', 2)
        .arg(p90Ms, 0, 'f', 2)
        .arg(p99Ms, 0, 'f', 2)
        .arg(maxMs, 0, 'f', 2);
}

} // namespace leadkeeper::bench
