#include "bounded_tcp_server.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <optional>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace leadkeeper {

namespace {

using namespace std::chrono_literals;

/// How long a refused connection keeps reading (and dropping) what the peer still sends, so the
/// peer reads our answer instead of a connection reset.
constexpr auto kLinger = 2000ms;

QByteArray errorResponse(int status, const char *reason, const QByteArray &message)
{
    const QByteArray body = "{\"error\":\"" + message + "\"}";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
           + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

/// Sends FIN once the answer is written: the peer sees the end of the response.
void shutdownWriting(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    if (socket->state() == QAbstractSocket::ConnectedState && socket->socketDescriptor() >= 0)
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
#else
    Q_UNUSED(socket);
#endif
}

/**
 * Closes a connection that was answered with a refusal the way HTTP servers must (a "lingering
 * close"): stop sending once the answer is out, keep reading and dropping whatever the peer still
 * sends, and abort after kLinger. Closing at once while the peer is still sending would make the
 * kernel answer with a reset that also discards our response on the peer's side.
 * The caller must have made sure nothing else reads the socket.
 */
void lingerAndClose(QTcpSocket *socket)
{
    auto drop = [socket] { socket->skip(socket->bytesAvailable()); };
    QObject::connect(socket, &QIODevice::readyRead, socket, drop);
    drop();
    if (socket->bytesToWrite() == 0) {
        shutdownWriting(socket);
    } else {
        QObject::connect(socket, &QIODevice::bytesWritten, socket, [socket] {
            if (socket->bytesToWrite() == 0)
                shutdownWriting(socket);
        });
    }
    QTimer::singleShot(kLinger, socket, [socket] { socket->abort(); });
}

/// Where the header block ends in `data` (just past its empty line), or -1, looking at line ends
/// from `from` on. Accepts CRLF and, like QHttpServer's parser, bare LF line ends.
qsizetype headerEnd(const QByteArray &data, qsizetype from)
{
    for (qsizetype i = data.indexOf('\n', from); i >= 0; i = data.indexOf('\n', i + 1)) {
        if (i + 1 < data.size() && data.at(i + 1) == '\n')
            return i + 2;
        if (i + 2 < data.size() && data.at(i + 1) == '\r' && data.at(i + 2) == '\n')
            return i + 3;
    }
    return -1;
}

bool isDigits(const QByteArray &text)
{
    return !text.isEmpty() && text.size() <= 18
           && std::all_of(text.cbegin(), text.cend(), [](char c) { return c >= '0' && c <= '9'; });
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
    enum class State { Idle, Headers, Body, Refused, Closing };

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
        if (m_state == State::Refused || m_state == State::Closing)
            return;
        // QHttpServer reads everything on each readyRead (inside a transaction, so peek() starts
        // where it stopped): what is available now is new.
        const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
        qsizetype pos = 0;
        while (pos < chunk.size()) {
            if (m_state == State::Idle) {
                m_state = State::Headers;
                m_header.clear();
                m_timer.start(m_limits.headerTimeout);
                m_requestClock.start();
            }
            if (m_state == State::Headers) {
                const qsizetype before = m_header.size();
                // Never hold more than the limit (+1 to tell "at" from "over").
                const qsizetype room = qMax<qsizetype>(0, m_limits.maxHeaderBytes + 1 - before);
                const qsizetype take = qMin(chunk.size() - pos, room);
                m_header.append(chunk.constData() + pos, take);
                // Only the new bytes and the line end before them need a look: a slow client
                // sending a byte at a time must not cost a rescan of everything each time.
                const qsizetype end = headerEnd(m_header, qMax<qsizetype>(0, before - 2));
                if (end < 0 || end > m_limits.maxHeaderBytes) {
                    if (m_header.size() > m_limits.maxHeaderBytes)
                        return refuse(431, "Request Header Fields Too Large",
                                      "The request headers are larger than allowed.");
                    pos += take;
                    continue;
                }
                pos += end - before;
                m_header.truncate(end);
                if (!headersComplete(m_header))
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
        std::optional<qint64> length;
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
                // Strict digits, and one value only: a second, different length is how requests
                // are smuggled past a front end that reads the other one.
                if (!isDigits(value) || (length && *length != value.toLongLong())) {
                    refuse(400, "Bad Request", "The Content-Length header is not one valid number.");
                    return false;
                }
                length = value.toLongLong();
            } else if (name == "transfer-encoding") {
                refuse(411, "Length Required",
                       "Send the body with a Content-Length header (chunked bodies are not accepted).");
                return false;
            } else if (name == "expect" && value.toLower() == "100-continue") {
                expectContinue = true;
            }
        }
        if (length.value_or(0) > m_limits.maxBodyBytes) {
            refuse(413, "Payload Too Large",
                   "The body is larger than " + QByteArray::number(m_limits.maxBodyBytes)
                       + " bytes.");
            return false;
        }
        m_remaining = length.value_or(0);
        if (m_remaining == 0) {
            requestComplete();
            return true;
        }
        // QHttpServer 6.4 does not answer it: a client that waits for it would send nothing.
        if (expectContinue)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_state = State::Body;
        const qint64 left = m_limits.requestTimeout.count() - m_requestClock.elapsed();
        m_timer.start(std::chrono::milliseconds(qMax<qint64>(1, left)));
        return true;
    }

    void requestComplete()
    {
        m_state = State::Idle;
        m_header.clear();
        m_timer.start(m_limits.idleTimeout);
    }

    void refuse(int status, const char *reason, const QByteArray &message)
    {
        m_state = State::Refused;
        m_timer.stop();
        m_header.clear();
        // From here on QHttpServer must not see a byte of this connection: it would parse the
        // rest of a refused request. Its transaction is dropped so the buffer can empty.
        QObject::disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction();
        m_socket->write(errorResponse(status, reason, message));
        if (m_server)
            Q_EMIT m_server->connectionCut(status, QString::fromLatin1(message),
                                           m_socket->peerAddress().toString());
        lingerAndClose(m_socket);
    }

    void onTimeout()
    {
        if (m_state == State::Idle) {
            m_state = State::Closing;
            m_socket->disconnectFromHost();
            QTimer::singleShot(kLinger, m_socket, [s = QPointer<QTcpSocket>(m_socket)] {
                if (s)
                    s->abort();
            });
            return;
        }
        if (m_state == State::Headers || m_state == State::Body)
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

BoundedTcpServer::BoundedTcpServer(const ListenerLimits &limits, QObject *parent,
                                   SharedCount openConnections)
    : QTcpServer(parent), m_limits(limits),
      m_open(openConnections ? std::move(openConnections) : std::make_shared<std::atomic<int>>(0))
{
    // Qt's default backlog of 50 overflows when Meta (or a retry wave) opens many connections at
    // once; the kernel then drops SYNs and the peer waits a second or more before it retries.
    // Connections beyond the cap are still answered 503 right after accept().
    setListenBacklogSize(qMax(511, m_limits.maxConnections));
}

void BoundedTcpServer::guardClosed()
{
    --*m_open;
    --m_own;
}

void BoundedTcpServer::dispatchTo(const QList<BoundedTcpServer *> &servers)
{
    m_dispatch = servers;
}

void BoundedTcpServer::adopt(qintptr handle)
{
    ++m_own; // counted at once, so the acceptor's next choice sees it
    QMetaObject::invokeMethod(this, [this, handle] { serve(handle); }, Qt::QueuedConnection);
}

void BoundedTcpServer::acceptOnlyThroughAdopt()
{
    m_adoptOnly = true;
    pauseAccepting();
}

QTcpSocket *BoundedTcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (m_adoptOnly)
        pauseAccepting();
    return socket;
}

void BoundedTcpServer::incomingConnection(qintptr handle)
{
    if (!m_dispatch.isEmpty()) {
        qsizetype best = m_next % m_dispatch.size();
        for (qsizetype i = 0; i < m_dispatch.size(); ++i) {
            const qsizetype k = (m_next + i) % m_dispatch.size();
            if (m_dispatch.at(k)->m_own.load() < m_dispatch.at(best)->m_own.load())
                best = k;
        }
        m_next = best + 1;
        m_dispatch.at(best)->adopt(handle);
        return;
    }
    ++m_own;
    serve(handle);
}

void BoundedTcpServer::serve(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        --m_own;
        return;
    }
    // Reserve a place first: other servers sharing the counter accept at the same time.
    if (m_open->fetch_add(1) >= m_limits.maxConnections) {
        --*m_open;
        --m_own;
        Q_EMIT connectionCut(503, QStringLiteral("Too many open connections."),
                             socket->peerAddress().toString());
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kLinger + 1000ms, socket, &QObject::deleteLater);
        socket->write(errorResponse(503, "Service Unavailable", "Too many open connections."));
        // Lingering costs a descriptor for a while: when a flood of refused connections is
        // already lingering, close the next ones at once.
        if (m_lingering >= m_limits.maxConnections) {
            socket->disconnectFromHost();
            return;
        }
        ++m_lingering;
        connect(socket, &QObject::destroyed, this, [this] { --m_lingering; });
        lingerAndClose(socket);
        return;
    }
    socket->setReadBufferSize(m_limits.maxHeaderBytes + m_limits.maxBodyBytes + 4096);
    new ConnectionGuard(this, socket);
    addPendingConnection(socket);
}

} // namespace leadkeeper
