#pragma once

#include "settings/settings.h"

#include <QList>
#include <QTcpServer>

#include <atomic>
#include <memory>

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
 *  - more than maxConnections open → new connections get 503 (counted across every server that
 *    shares the counter given at construction: the listener's threads share one cap).
 * A refused connection never reaches QHttpServer again; it is closed the lingering way (the
 * answer is sent, what the peer still sends is read and dropped for up to two seconds, then the
 * socket is aborted), so a peer that is still sending reads the refusal instead of a reset.
 * The memory one connection can hold is bounded by maxHeaderBytes + maxBodyBytes (its read
 * buffer is capped at that), and the total by maxConnections times that. Lives in the listener's
 * thread; connectionCut() reports every refusal. An acceptor (dispatchTo()) only accepts and hands
 * each connection to a server of another thread, where all of the above applies.
 */
class BoundedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    /// Connections a set of servers (one per listener thread) have open together.
    using SharedCount = std::shared_ptr<std::atomic<int>>;

    /// `openConnections`: shared with the other servers of the same listener, so maxConnections
    /// caps them together; empty = this server counts alone.
    explicit BoundedTcpServer(const ListenerLimits &limits, QObject *parent = nullptr,
                              SharedCount openConnections = {});

    int openConnections() const { return m_open->load(); }

    /// Makes this server an acceptor: each connection it accepts is served by one of `servers`
    /// (the one with the fewest open connections, ties in turn), in that server's thread. The
    /// servers must outlive this one's accepting; call before it accepts.
    void dispatchTo(const QList<BoundedTcpServer *> &servers);
    /// Serves a connection another server accepted (any thread; runs in this server's thread).
    void adopt(qintptr handle);
    /// Never accepts on its own socket again, only adopt()s (a handler behind an acceptor: its
    /// listening socket is a duplicate of the acceptor's, held because QHttpServer wants one).
    void acceptOnlyThroughAdopt();

    /// QTcpServer turns accepting back on here (it pauses itself when its queue is full); a
    /// server that only adopts stays paused, or it would race the acceptor for connections.
    QTcpSocket *nextPendingConnection() override;
    const ListenerLimits &limits() const { return m_limits; }

Q_SIGNALS:
    /// A connection was refused or cut by a limit; `status` is the HTTP status sent (0 = none).
    void connectionCut(int status, const QString &reason, const QString &peer);

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class ConnectionGuard;
    void guardClosed();
    /// Serves an accepted connection in this thread (m_own already counts it).
    void serve(qintptr handle);

    ListenerLimits m_limits;
    SharedCount m_open;  ///< connections handed to QHttpServer and not yet closed (all servers)
    std::atomic<int> m_own{0}; ///< those of them this server serves
    QList<BoundedTcpServer *> m_dispatch; ///< acceptor only: where connections go
    qsizetype m_next = 0;
    bool m_adoptOnly = false;
    int m_lingering = 0; ///< connections refused at the cap, still being closed
};

} // namespace leadkeeper
