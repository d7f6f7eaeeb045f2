#pragma once

#include <QObject>
#include <QTimer>

#include <vector>

namespace leadkeeper::bench {

/**
 * The GUI thread's responsiveness as a user would feel it: a Qt::PreciseTimer ticking every
 * `intervalMs` on the GUI thread, recording how late each tick fires (the gap since the previous
 * tick minus the interval; 0 when on time). A tick can only be late by as long as the thread was
 * busy with something else, so the lateness is the stall, whatever caused it: a slot, a paint, a
 * query, or the event loop's own work between events.
 */
class TickProbe : public QObject
{
    Q_OBJECT
public:
    explicit TickProbe(int intervalMs, QObject *parent = nullptr);

    void start();
    void stop();
    int intervalMs() const { return m_timer.interval(); }

    /// Lateness of every tick since start(), in ns.
    const std::vector<qint64> &lateness() const { return m_lateness; }
    /// When the latest tick was (monotonic ns), and the latest lateness: lets a caller name the
    /// tick a long dispatch delayed.
    struct Late
    {
        qint64 atNs;
        qint64 latenessNs;
    };
    const std::vector<Late> &lateTicks() const { return m_late; }

private:
    void tick();

    QTimer m_timer;
    qint64 m_lastNs = 0;
    std::vector<qint64> m_lateness;
    std::vector<Late> m_late; ///< ticks more than 16 ms late
};

} // namespace leadkeeper::bench
