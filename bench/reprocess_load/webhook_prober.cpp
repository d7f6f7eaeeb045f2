#include "webhook_prober.h"

#include "http_test_client.h"
#include "webhook_bodies.h"

#include <ctime>

#include <pthread.h>

namespace leadkeeper::bench {

using Clock = std::chrono::steady_clock;

WebhookProber::WebhookProber(quint16 port, QByteArray appSecret, int ratePerSec,
                             qint64 firstLeadgenId, int connections)
    : m_port(port), m_appSecret(std::move(appSecret)), m_rate(qMax(1, ratePerSec)),
      m_connections(qBound(1, connections, ratePerSec)), m_nextId(firstLeadgenId)
{
}

WebhookProber::~WebhookProber()
{
    stop();
}

void WebhookProber::start()
{
    if (m_running)
        return;
    m_running = true;
    m_stop = false;
    m_result = {};
    m_lanes.clear();
    m_t0 = Clock::now() + std::chrono::milliseconds(20); // every lane connected by then
    for (int i = 0; i < m_connections; ++i) {
        auto lane = std::make_unique<Lane>();
        lane->micros.reserve(size_t(m_rate / m_connections + 1) * 600);
        lane->dueMicros.reserve(lane->micros.capacity());
        Lane *l = lane.get();
        lane->thread = std::make_unique<std::thread>([this, l, i] { run(*l, i); });
        m_lanes.push_back(std::move(lane));
    }
}

WebhookProber::Result WebhookProber::stop()
{
    if (!m_running)
        return m_result;
    m_stop = true;
    std::vector<qint64> micros, dueMicros;
    for (auto &lane : m_lanes) {
        lane->thread->join();
        micros.insert(micros.end(), lane->micros.begin(), lane->micros.end());
        dueMicros.insert(dueMicros.end(), lane->dueMicros.begin(), lane->dueMicros.end());
        m_result.sent += lane->sent;
        m_result.non200 += lane->non200;
        m_result.late += lane->late;
        m_result.cpuNs += lane->cpuNs;
        if (!lane->failure.isEmpty())
            qWarning("webhook prober: %s", qPrintable(lane->failure));
    }
    m_result.seconds = std::chrono::duration<double>(Clock::now() - m_t0).count();
    m_result.latency = LatencySummary::of(micros, 1000.0);
    m_result.fromDue = LatencySummary::of(dueMicros, 1000.0);
    m_lanes.clear();
    m_running = false;
    return m_result;
}

void WebhookProber::run(Lane &lane, int index)
{
    pthread_setname_np(pthread_self(), "webhook-probe"); // so its CPU is reported apart
    test::HttpTestClient client(QStringLiteral("127.0.0.1"), m_port);
    if (!client.connectToServer()) {
        lane.failure = QStringLiteral("cannot connect to the listener on port %1").arg(m_port);
        return;
    }
    // The lanes take the instants in turn: lane k sends at t0 + (k + i * lanes) * interval.
    const auto interval = std::chrono::nanoseconds(1000000000LL / m_rate);
    const auto laneInterval = interval * m_connections;
    for (qint64 i = 0; !m_stop.load(); ++i) {
        // Built before the wait, so building never counts as latency.
        const QByteArray body = test::singleLeadBody(QString::number(m_nextId.fetch_add(1)));
        const auto due = m_t0 + interval * index + laneInterval * i;
        const auto before = Clock::now();
        if (before < due)
            std::this_thread::sleep_until(due);
        else if (before - due > laneInterval)
            ++lane.late;
        if (m_stop.load())
            break;
        const auto sent = Clock::now();
        const test::HttpResponse r = client.postWebhook(body, m_appSecret, 10000);
        const auto done = Clock::now();
        ++lane.sent;
        if (r.status == 200) {
            lane.micros.push_back(
                std::chrono::duration_cast<std::chrono::microseconds>(done - sent).count());
            lane.dueMicros.push_back(
                std::chrono::duration_cast<std::chrono::microseconds>(done - due).count());
        } else {
            ++lane.non200;
            if (!client.isConnected() && !client.connectToServer()) {
                lane.failure =
                    QStringLiteral("lost the connection to the listener (last status %1)")
                        .arg(r.status);
                break;
            }
        }
    }
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    lane.cpuNs = qint64(cpu.tv_sec) * 1000000000LL + cpu.tv_nsec;
}

} // namespace leadkeeper::bench
