#pragma once

#include <QByteArray>

#include <deque>
#include <string>
#include <string_view>

namespace leadkeeper::bench {

/**
 * Ready-to-send, signed, single-lead webhook requests, each with a leadgen id of its own (19 digits,
 * never repeated within a run), so every request the listener gets is a new lead, as in production.
 *
 * Requests are built ahead of a measurement (reserve()); next() builds more on the spot only if
 * the estimate fell short, and counts it, so building never hides inside a figure unnoticed. A
 * request's bytes stay where they are until the pool is cleared (a deque never moves them).
 */
class RequestPool
{
public:
    explicit RequestPool(QByteArray appSecret);

    /// Builds until at least `count` requests are ready and not yet handed out.
    void reserve(qsizetype count);
    /// The next unused request. When recycling, wraps around to the first one instead of building
    /// more (for servers that store nothing, such as the ceiling).
    std::string_view next();
    void setRecycling(bool on) { m_recycling = on; }
    /// Frees every request (handed out or not); ids keep counting up.
    void clear();

    qsizetype builtOnTheSpot() const { return m_builtOnTheSpot; }
    /// Mean cost of building one request, measured while reserving.
    double buildMicros() const { return m_built ? m_buildNs / 1000.0 / m_built : 0; }
    qsizetype bytesPerRequest() const { return m_requests.empty() ? 0 : qsizetype(m_requests.front().size()); }

    /// The request for one leadgen id (signed POST /webhooks/meta, as Meta sends it).
    static std::string build(const QByteArray &appSecret, quint64 leadgenId);
    /// The body Meta would post for that lead.
    static QByteArray body(quint64 leadgenId);

private:
    void buildOne();

    QByteArray m_appSecret;
    std::deque<std::string> m_requests;
    std::size_t m_nextIndex = 0;
    quint64 m_nextId = 1800000000000000000ULL; // 19 digits, like Meta's leadgen ids
    bool m_recycling = false;
    qsizetype m_builtOnTheSpot = 0;
    qint64 m_buildNs = 0;
    qint64 m_built = 0;
};

} // namespace leadkeeper::bench
