#include "webhook_prober.h"

#include "http_test_client.h"
#include "webhook_bodies.h"

#include <chrono>

namespace leadkeeper::bench {

using Clock = std::chrono::steady_clock;

WebhookProber::WebhookProber(quint16 port, QByteArray appSecret, int ratePerSec,
                             qint64 firstLeadgenId)
    : m_port(port), m_appSecret(std::move(appSecret)), m_rate(qMax(1, ratePerSec)),
      m_nextId(firstLeadgenId)
{
}

WebhookProber::~WebhookProber()
{
    stop();
}

void WebhookProber::start()
{
    if (m_thread)
        return;
    m_stop = false;
    m_result = {};
    m_micros.clear();
    m_micros.reserve(size_t(m_rate) * 600);
    m_thread = std::make_unique<std::thread>([this] { run(); });
}

WebhookProber::Result WebhookProber::stop()
{
    if (!m_thread)
        return m_result;
    m_stop = true;
    m_thread->join();
    m_thread.reset();
    m_result.latency = LatencySummary::of(m_micros);
    if (!m_failure.isEmpty())
        qWarning("webhook prober: %s", qPrintable(m_failure));
    return m_result;
}

void WebhookProber::run()
{
    test::HttpTestClient client(QStringLiteral("127.0.0.1"), m_port);
    if (!client.connectToServer()) {
        m_failure = QStringLiteral("cannot connect to the listener on port %1").arg(m_port);
        return;
    }
    const auto interval = std::chrono::nanoseconds(1000000000LL / m_rate);
    const auto t0 = Clock::now();
    for (qint64 i = 0; !m_stop.load(); ++i) {
        // Built before the wait, so building never counts as latency.
        const QByteArray body = test::singleLeadBody(QString::number(m_nextId.fetch_add(1)));
        const auto due = t0 + i * interval;
        const auto before = Clock::now();
        if (before < due)
            std::this_thread::sleep_until(due);
        else if (before - due > interval)
            ++m_result.late;
        if (m_stop.load())
            break;
        const auto sent = Clock::now();
        const test::HttpResponse r = client.postWebhook(body, m_appSecret, 10000);
        const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent);
        ++m_result.sent;
        if (r.status == 200) {
            m_micros.push_back(took.count());
        } else {
            ++m_result.non200;
            if (!client.isConnected() && !client.connectToServer()) {
                m_failure = QStringLiteral("lost the connection to the listener (last status %1)")
                                .arg(r.status);
                break;
            }
        }
    }
    m_result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace leadkeeper::bench
