#pragma once

#include "latency_summary.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace leadkeeper::bench {

/**
 * Plays Meta at a steady rate against a running listener while something else loads the process:
 * signed single-lead webhooks (the exact body of tests/fixtures/webhook_bodies.h, a fresh 19-digit
 * leadgen id each) over one keep-alive connection, from a thread of its own, and records how long
 * each took from the first byte written to the last byte of its answer.
 *
 * Sends are scheduled at fixed instants (rate per second); a send that could not go out on time
 * (the previous answer was late) goes immediately and is counted as late, so a stall shows up both
 * in the latencies and in the late count. start() returns at once; stop() joins the thread.
 */
class WebhookProber
{
public:
    struct Result
    {
        LatencySummary latency; ///< answers with status 200 only
        int sent = 0;
        int non200 = 0; ///< other statuses and no answer at all
        int late = 0;   ///< went out more than one interval after their instant
        double seconds = 0;
        double ratePerSec() const { return seconds > 0 ? sent / seconds : 0; }
    };

    WebhookProber(quint16 port, QByteArray appSecret, int ratePerSec, qint64 firstLeadgenId);
    ~WebhookProber();
    WebhookProber(const WebhookProber &) = delete;
    WebhookProber &operator=(const WebhookProber &) = delete;

    void start();
    Result stop();
    /// Leadgen ids used so far start at firstLeadgenId; the next prober should start after this.
    qint64 nextLeadgenId() const { return m_nextId.load(); }

private:
    void run();

    quint16 m_port;
    QByteArray m_appSecret;
    int m_rate;
    std::atomic<qint64> m_nextId;
    std::atomic<bool> m_stop{false};
    std::unique_ptr<std::thread> m_thread;
    Result m_result;
    std::vector<qint64> m_micros;
    QString m_failure;
};

} // namespace leadkeeper::bench
