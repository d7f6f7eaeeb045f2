#pragma once

#include "settings/settings.h"

#include <QTcpServer>

class QTcpSocket;

namespace leadkeeper {

/**
 * The TCP server under our QHttpServer: it enforces the limits Qt 6.4's QHttpServer lacks
 * (DESIGN.md §9) before a byte reaches it.
 *
 * For every accepted socket it installs a guard that watches the raw byte stream (it peeks, it
 * never consumes what QHttpServer must read) and frames requests itself:
 *  - headers larger than maxHeaderBytes → 431;
 *  - an announced Content-Length over maxBodyBytes → 413 before the body is read;
 *  - a Content-Length that is not plain digits, or two different ones → 400;
 *  - chunked or otherwise unframed bodies → 411 (Meta always sends Content-Length);
 *  - "Expect: 100-continue" is answered once the announced body is known to fit, since
 *    QHttpServer 6.4 does not;
 *  - headers not complete within headerTimeout, or a request not complete within requestTimeout
 *    → 408; a keep-alive connection idle for idleTimeout → closed without a word;
 *  - more than maxConnections open → new connections get 503.
 * A refused connection never reaches QHttpServer again; it is closed the lingering way (the
 * answer is sent, what the peer still sends is read and dropped for up to two seconds, then the
 * socket is aborted), so a peer that is still sending reads the refusal instead of a reset.
 * The memory one connection can hold is bounded by maxHeaderBytes + maxBodyBytes (its read
 * buffer is capped at that), and the total by maxConnections times that. Lives in the listener's
 * thread; connectionCut() reports every refusal.
 */
class BoundedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit BoundedTcpServer(const ListenerLimits &limits, QObject *parent = nullptr);

    int openConnections() const { return m_open; }
    const ListenerLimits &limits() const { return m_limits; }

Q_SIGNALS:
    /// A connection was refused or cut by a limit; `status` is the HTTP status sent (0 = none).
    void connectionCut(int status, const QString &reason, const QString &peer);

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class ConnectionGuard;
    void guardClosed();

    ListenerLimits m_limits;
    int m_open = 0;      ///< connections handed to QHttpServer and not yet closed
    int m_lingering = 0; ///< connections refused at the cap, still being closed
};

} // namespace leadkeeper
