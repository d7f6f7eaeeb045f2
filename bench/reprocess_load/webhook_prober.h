#pragma once

#include "latency_summary.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace leadkeeper::bench {

/**
 * Plays Meta at a steady rate against a running listener while something else loads the process:
 * signed single-lead webhooks (the exact body of tests/fixtures/webhook_bodies.h, a fresh 19-digit
 * leadgen id each) over `connections` keep-alive connections, one thread each, sending in turn at
 * fixed instants (`ratePerSec` in all).
 *
 * Two latencies per answered request: from the first byte written to the last byte read (what the
 * listener took), and from the instant the request was due (what Meta would see: it includes
 * waiting for a connection still busy with a slow answer, so a stall is not hidden by the requests
 * it delayed). A request that went out more than one of its connection's intervals after its
 * instant counts as late. start() returns at once; stop() joins the threads.
 */
class WebhookProber
{
public:
    struct Result
    {
        LatencySummary latency; ///< from send, answers with status 200 only
        LatencySummary fromDue; ///< from the instant the request was due
        int sent = 0;
        int non200 = 0; ///< other statuses and no answer at all
        int late = 0;
        double seconds = 0;
        qint64 cpuNs = 0; ///< the prober threads' own CPU (they share the machine's cores)
        double ratePerSec() const { return seconds > 0 ? sent / seconds : 0; }
    };

    WebhookProber(quint16 port, QByteArray appSecret, int ratePerSec, qint64 firstLeadgenId,
                  int connections = 4);
    ~WebhookProber();
    WebhookProber(const WebhookProber &) = delete;
    WebhookProber &operator=(const WebhookProber &) = delete;

    void start();
    Result stop();
    /// The first leadgen id this prober has not used (the next prober should start there).
    qint64 nextLeadgenId() const { return m_nextId.load(); }

private:
    struct Lane
    {
        std::unique_ptr<std::thread> thread;
        std::vector<qint64> micros, dueMicros;
        int sent = 0, non200 = 0, late = 0;
        qint64 cpuNs = 0;
        QString failure;
    };
    void run(Lane &lane, int index);

    quint16 m_port;
    QByteArray m_appSecret;
    int m_rate;
    int m_connections;
    std::atomic<qint64> m_nextId;
    std::atomic<bool> m_stop{false};
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::chrono::steady_clock::time_point m_t0;
    bool m_running = false;
    Result m_result;
};

} // namespace leadkeeper::bench
