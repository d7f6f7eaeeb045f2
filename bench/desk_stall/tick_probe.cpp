#include "tick_probe.h"

#include "timed_application.h"

namespace leadkeeper::bench {

TickProbe::TickProbe(int intervalMs, QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &TickProbe::tick);
}

void TickProbe::start()
{
    m_lateness.clear();
    m_lateness.reserve(1'000'000);
    m_late.clear();
    m_lastNs = 0;
    m_timer.start();
}

void TickProbe::stop()
{
    m_timer.stop();
}

void TickProbe::tick()
{
    const qint64 now = monotonicNs();
    if (m_lastNs != 0) {
        const qint64 late = qMax<qint64>(0, now - m_lastNs - qint64(m_timer.interval()) * 1'000'000);
        m_lateness.push_back(late);
        if (late > 16'000'000)
            m_late.push_back({now, late});
    }
    m_lastNs = now;
}

} // namespace leadkeeper::bench
