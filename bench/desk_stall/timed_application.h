#pragma once

#include <QApplication>
#include <QStringList>

#include <atomic>
#include <thread>
#include <vector>

namespace leadkeeper::bench {

/// Monotonic clock in nanoseconds (the same clock as QElapsedTimer on Linux).
qint64 monotonicNs();

/**
 * A QApplication that times every event the GUI thread dispatches (the outermost notify() only:
 * an event sent from inside another event's handler belongs to that one), and a watchdog thread
 * that takes the GUI thread's call stack while one dispatch runs long.
 *
 * How the stack is taken: the watchdog polls every 2 ms; when the current dispatch has run for
 * sampleAfterMs it sends SIGPROF to the GUI thread, whose handler records backtrace() into a
 * preallocated slot; it samples the same dispatch again every sampleEveryMs while it lasts. The
 * stacks are symbolised after the measurement (dladdr, then addr2line on this executable for
 * what dladdr cannot name). Recording is off until startRecording(); only the GUI thread's events
 * are timed.
 */
class TimedApplication : public QApplication
{
public:
    struct Dispatch
    {
        qint64 startNs = 0;
        qint64 durationNs = 0;
        int eventType = 0;
        const char *receiverClass = "";
        const char *parentClass = "";
        quint64 seq = 0;
    };

    TimedApplication(int &argc, char **argv);
    ~TimedApplication() override;

    bool notify(QObject *receiver, QEvent *event) override;

    void setSampling(int sampleAfterMs, int sampleEveryMs);
    void startRecording();
    void stopRecording();

    /// Every dispatch's duration (ns) while recording.
    std::vector<qint64> durations() const { return m_durations; }
    /// The dispatches of at least `minMs`, longest first (at most `limit`).
    std::vector<Dispatch> longest(double minMs, int limit) const;
    /// The sampled stacks of one dispatch, symbolised, innermost frame first (empty if none).
    QList<QStringList> stacksOf(quint64 seq) const;

    static QString eventName(int type);

private:
    void watch();

    std::atomic<bool> m_recording{false};
    int m_depth = 0;
    quint64 m_seq = 0;
    std::vector<qint64> m_durations;
    std::vector<Dispatch> m_long; ///< dispatches over 5 ms
    std::atomic<qint64> m_activeStartNs{0};
    std::atomic<quint64> m_activeSeq{0};
    std::atomic<bool> m_watching{false};
    std::atomic<int> m_sampleAfterMs{30};
    std::atomic<int> m_sampleEveryMs{20};
    std::thread m_watchdog;
};

} // namespace leadkeeper::bench
