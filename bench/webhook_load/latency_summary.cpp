#include "latency_summary.h"

#include <algorithm>
#include <cmath>

namespace leadkeeper::bench {

LatencySummary LatencySummary::of(std::vector<qint64> &nanoseconds)
{
    LatencySummary s;
    if (nanoseconds.empty())
        return s;
    std::sort(nanoseconds.begin(), nanoseconds.end());
    const auto n = nanoseconds.size();
    auto rank = [&](double p) {
        const auto i = static_cast<std::size_t>(std::ceil(p * double(n)));
        return double(nanoseconds[std::min(n - 1, i == 0 ? 0 : i - 1)]) / 1e6;
    };
    double sum = 0;
    for (qint64 v : nanoseconds)
        sum += double(v);
    s.count = qint64(n);
    s.p50 = rank(0.50);
    s.p90 = rank(0.90);
    s.p99 = rank(0.99);
    s.max = double(nanoseconds.back()) / 1e6;
    s.mean = sum / double(n) / 1e6;
    return s;
}

} // namespace leadkeeper::bench
