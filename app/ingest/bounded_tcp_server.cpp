#include "bounded_tcp_server.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace leadkeeper {

namespace {

QByteArray plainResponse(int status, const char *reason, const QByteArray &message)
{
    const QByteArray body = "{\"error\":\"" + message + "\"}";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
           + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

/// Frames the requests of one connection and enforces the limits on it (see BoundedTcpServer).
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(BoundedTcpServer *server, QTcpSocket *socket)
        : QObject(socket), m_server(server), m_socket(socket), m_limits(server->limits())
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimeout);
        // Connected before QHttpServer sees the socket, so this runs first on every readyRead.
        connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, this, [this] { release(); });
        m_timer.start(m_limits.idleTimeout);
    }
    ~ConnectionGuard() override { release(); }

private:
    enum class State { Idle, Headers, Body, Refused };

    void release()
    {
        if (m_server) {
            m_server->guardClosed();
            m_server = nullptr;
        }
        m_timer.stop();
    }

    void onReadyRead()
    {
        if (m_state == State::Refused) {
            m_socket->read(m_socket->bytesAvailable()); // discard: QHttpServer must not see it
            return;
        }
        // QHttpServer drains the socket on each readyRead, so what is available now is new.
        const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
        qsizetype pos = 0;
        while (pos < chunk.size() && m_state != State::Refused) {
            if (m_state == State::Idle) {
                m_state = State::Headers;
                m_header.clear();
                m_timer.start(m_limits.headerTimeout);
                m_requestClock.start();
            }
            if (m_state == State::Headers) {
                const qsizetype take = chunk.size() - pos;
                const qsizetype before = m_header.size();
                m_header.append(chunk.constData() + pos, take);
                const qsizetype end = m_header.indexOf("\r\n\r\n");
                if (end < 0) {
                    if (m_header.size() > m_limits.maxHeaderBytes)
                        return refuse(431, "Request Header Fields Too Large",
                                      "The request headers are larger than allowed.");
                    pos += take;
                    continue;
                }
                if (end + 4 > m_limits.maxHeaderBytes)
                    return refuse(431, "Request Header Fields Too Large",
                                  "The request headers are larger than allowed.");
                pos += end + 4 - before;
                if (!headersComplete(m_header.left(end)))
                    return;
                continue;
            }
            if (m_state == State::Body) {
                const qint64 take = qMin<qint64>(m_remaining, chunk.size() - pos);
                m_remaining -= take;
                pos += take;
                if (m_remaining == 0)
                    requestComplete();
            }
        }
    }

    bool headersComplete(const QByteArray &head)
    {
        qint64 length = 0;
        bool expectContinue = false;
        const QList<QByteArray> lines = head.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0) {
                    refuse(400, "Bad Request", "The Content-Length header is not a number.");
                    return false;
                }
            } else if (name == "transfer-encoding") {
                refuse(411, "Length Required",
                       "Send the body with a Content-Length header (chunked bodies are not accepted).");
                return false;
            } else if (name == "expect" && value.toLower() == "100-continue") {
                expectContinue = true;
            }
        }
        if (length > m_limits.maxBodyBytes) {
            refuse(413, "Payload Too Large",
                   "The body is larger than " + QByteArray::number(m_limits.maxBodyBytes)
                       + " bytes.");
            return false;
        }
        if (expectContinue)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_remaining = length;
        if (m_remaining == 0) {
            requestComplete();
        } else {
            m_state = State::Body;
            const qint64 left = qMax<qint64>(1, m_limits.requestTimeout.count() - m_requestClock.elapsed());
            m_timer.start(std::chrono::milliseconds(left));
        }
        return true;
    }

    void requestComplete()
    {
        m_state = State::Idle;
        m_timer.start(m_limits.idleTimeout);
    }

    void refuse(int status, const char *reason, const QByteArray &message)
    {
        m_state = State::Refused;
        m_timer.stop();
        m_socket->read(m_socket->bytesAvailable());
        m_socket->write(plainResponse(status, reason, message));
        if (m_server)
            Q_EMIT m_server->connectionCut(status, QString::fromLatin1(message),
                                           m_socket->peerAddress().toString());
        m_socket->disconnectFromHost();
        // A peer that never reads would keep a closing socket forever.
        QTimer::singleShot(2000, m_socket, [s = QPointer<QTcpSocket>(m_socket)] {
            if (s)
                s->abort();
        });
    }

    void onTimeout()
    {
        if (m_state == State::Idle) {
            m_state = State::Refused;
            m_socket->disconnectFromHost();
            QTimer::singleShot(2000, m_socket, [s = QPointer<QTcpSocket>(m_socket)] {
                if (s)
                    s->abort();
            });
            return;
        }
        refuse(408, "Request Timeout", "The request did not arrive in time.");
    }

    QPointer<BoundedTcpServer> m_server;
    QTcpSocket *m_socket;
    ListenerLimits m_limits;
    QTimer m_timer;
    QElapsedTimer m_requestClock;
    State m_state = State::Idle;
    QByteArray m_header;
    qint64 m_remaining = 0;
};

BoundedTcpServer::BoundedTcpServer(const ListenerLimits &limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{
}

void BoundedTcpServer::guardClosed()
{
    --m_open;
}

void BoundedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections) {
        socket->write(plainResponse(503, "Service Unavailable", "Too many open connections."));
        Q_EMIT connectionCut(503, QStringLiteral("Too many open connections."),
                             socket->peerAddress().toString());
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        QTimer::singleShot(2000, socket, &QObject::deleteLater);
        return;
    }
    ++m_open;
    socket->setReadBufferSize(m_limits.maxHeaderBytes + m_limits.maxBodyBytes + 4096);
    new ConnectionGuard(this, socket);
    addPendingConnection(socket);
}

} // namespace leadkeeper
