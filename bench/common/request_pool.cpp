#include "request_pool.h"

#include "ingest/webhook_signature.h"
#include "webhook_bodies.h"

#include <QElapsedTimer>

namespace leadkeeper::bench {

RequestPool::RequestPool(QByteArray appSecret) : m_appSecret(std::move(appSecret)) {}

QByteArray RequestPool::body(quint64 leadgenId)
{
    return test::singleLeadBody(QString::number(leadgenId));
}

std::string RequestPool::build(const QByteArray &appSecret, quint64 leadgenId)
{
    const QByteArray payload = body(leadgenId);
    // The headers Meta's delivery agent sends, in its order.
    const QByteArray request = "POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "User-Agent: facebookexternalua\r\nAccept: */*\r\n"
                               "Content-Type: application/json\r\nX-Hub-Signature-256: "
                               + WebhookSignature::sign(appSecret, payload)
                               + "\r\nContent-Length: " + QByteArray::number(payload.size())
                               + "\r\n\r\n" + payload;
    return request.toStdString();
}

void RequestPool::buildOne()
{
    m_requests.push_back(build(m_appSecret, m_nextId++));
}

void RequestPool::reserve(qsizetype count)
{
    QElapsedTimer clock;
    clock.start();
    qint64 built = 0;
    while (qsizetype(m_requests.size() - m_nextIndex) < count) {
        buildOne();
        ++built;
    }
    m_buildNs += clock.nsecsElapsed();
    m_built += built;
}

std::string_view RequestPool::next()
{
    if (m_nextIndex >= m_requests.size() && m_recycling && !m_requests.empty())
        m_nextIndex = 0;
    if (m_nextIndex >= m_requests.size()) {
        buildOne();
        ++m_builtOnTheSpot;
    }
    return m_requests[m_nextIndex++];
}

void RequestPool::clear()
{
    std::deque<std::string>().swap(m_requests);
    m_nextIndex = 0;
}

} // namespace leadkeeper::bench
