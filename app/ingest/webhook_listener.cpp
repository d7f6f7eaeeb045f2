#include "webhook_listener.h"

#include "bounded_tcp_server.h"
#include "delivery_writer.h"
#include "store/database.h"
#include "store/rejected_delivery_log.h"
#include "store/write_gate.h"
#include "version.h"
#include "webhook_payload.h"
#include "webhook_signature.h"

#include <QDateTime>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

#include <nlohmann/json.hpp>

namespace leadkeeper {

Q_LOGGING_CATEGORY(lcListener, "leadkeeper.listener")

namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse jsonResponse(const nlohmann::json &body, int status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"),
                               QByteArray::fromStdString(body.dump()), Status(status));
}

QHttpServerResponse jsonError(int status, const QString &message)
{
    return jsonResponse({{"error", message.toStdString()}}, status);
}

void closeSocket(int fd)
{
#ifdef Q_OS_UNIX
    ::close(fd);
#else
    Q_UNUSED(fd);
#endif
}

/// Another descriptor of the same listening socket (close-on-exec), or -1.
int duplicateSocket(qintptr fd)
{
#ifdef Q_OS_UNIX
    return ::fcntl(int(fd), F_DUPFD_CLOEXEC, 0);
#else
    Q_UNUSED(fd);
    return -1;
#endif
}

} // namespace

struct WebhookListener::Handler
{
    QThread thread;
    QObject *home = nullptr; ///< lives in `thread`; owns its QHttpServer (which owns the server)
    std::unique_ptr<Database> db; ///< opened, used and closed in `thread`
    std::unique_ptr<RejectedDeliveryLog> rejected;
    BoundedTcpServer::SharedCount openConnections;
    BoundedTcpServer *server = nullptr; ///< serves what the acceptor hands over
};

WebhookListener::WebhookListener(const Settings &settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_unrecordedFlush(this), // they move with us to our thread
      m_checkpoint(this)
{
    connect(&m_checkpoint, &QTimer::timeout, this, &WebhookListener::checkpoint);
    m_unrecordedFlush.setSingleShot(true);
    connect(&m_unrecordedFlush, &QTimer::timeout, this, &WebhookListener::flushUnrecorded);
}

WebhookListener::~WebhookListener()
{
    stop();
}

bool WebhookListener::start(QString *error)
{
    // Meta waits for our answer: this thread's writes go before the processing workers'.
    WriteGate::markCurrentThreadUrgent();
    Database::Options options;
    options.busyTimeoutMs = m_settings.busyTimeoutMs();
    // The writer opens (and migrates) first; every other connection finds the schema current.
    m_writer = std::make_unique<DeliveryWriter>(m_settings.databasePath(), options);
    if (!m_writer->start(error)) {
        m_writer.reset();
        return false;
    }
    auto db = Database::open(m_settings.databasePath(), options, error);
    if (!db) {
        stop();
        return false;
    }
    m_db = std::make_unique<Database>(std::move(*db));
    m_rejected = std::make_unique<RejectedDeliveryLog>(m_db->sql(), m_settings.rejectedLogLimit());

    const auto openConnections = std::make_shared<std::atomic<int>>(0);
#ifdef Q_OS_UNIX
    const int threads = qBound(1, m_settings.listenerThreads(), 32);
#else
    const int threads = 1;
#endif
    // The acceptor binds the port (exclusively, as any server: a second Leadkeeper on the same
    // port fails) in this thread, which never waits on the store, and hands each connection to
    // the handler with the fewest. The handlers' servers hold duplicates of its descriptor only
    // because QHttpServer wants a listening server; they never accept themselves.
    const ListenAddress where = m_settings.listenAddress();
    m_acceptor = new BoundedTcpServer(m_settings.listenerLimits(), this, openConnections);
    if (!m_acceptor->listen(where.host, where.port)) {
        *error = QStringLiteral("The webhook listener cannot listen on %1: %2")
                     .arg(where.toString(), m_acceptor->errorString());
        stop();
        return false;
    }
    QList<BoundedTcpServer *> servers;
    for (int i = 0; i < threads; ++i) {
        const int fd = duplicateSocket(m_acceptor->socketDescriptor());
        if (fd < 0) {
            *error = QStringLiteral("The webhook listener cannot share its listening socket: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            stop();
            return false;
        }
        auto handler = std::make_unique<Handler>();
        handler->openConnections = openConnections;
        handler->thread.setObjectName(QStringLiteral("webhook-handler-%1").arg(i));
        handler->home = new QObject;
        handler->home->moveToThread(&handler->thread);
        handler->thread.start();
        Handler *h = handler.get();
        m_handlers.push_back(std::move(handler));
        bool ok = false;
        QString why;
        QMetaObject::invokeMethod(
            h->home, [this, h, fd, &ok, &why] { ok = startHandler(*h, fd, &why); },
            Qt::BlockingQueuedConnection);
        if (!ok) {
            *error = why;
            stop();
            return false;
        }
        servers << h->server;
    }
    m_acceptor->dispatchTo(servers);
    m_checkpoint.start(std::chrono::milliseconds(kCheckpointIntervalMs));
    m_address = ListenAddress{m_acceptor->serverAddress(), m_acceptor->serverPort()}.toString();
    m_port = m_acceptor->serverPort();
    qCInfo(lcListener).noquote() << "listening on" << m_address << "with" << threads
                                 << "handler thread(s)";
    return true;
}

bool WebhookListener::startHandler(Handler &handler, int fd, QString *error)
{
    WriteGate::markCurrentThreadUrgent(); // its rejected-delivery records, ahead of the workers
    Database::Options options;
    options.busyTimeoutMs = m_settings.busyTimeoutMs();
    auto db = Database::open(m_settings.databasePath(), options, error);
    if (!db) {
        closeSocket(fd);
        return false;
    }
    handler.db = std::make_unique<Database>(std::move(*db));
    handler.rejected =
        std::make_unique<RejectedDeliveryLog>(handler.db->sql(), m_settings.rejectedLogLimit());

    auto *tcp = new BoundedTcpServer(m_settings.listenerLimits(), nullptr, handler.openConnections);
    if (!tcp->setSocketDescriptor(fd)) {
        *error = QStringLiteral("The webhook listener cannot share its listening socket: %1")
                     .arg(tcp->errorString());
        delete tcp;
        closeSocket(fd);
        return false;
    }
    tcp->acceptOnlyThroughAdopt(); // the acceptor hands connections over (BoundedTcpServer::adopt())
    Handler *h = &handler;
    connect(tcp, &BoundedTcpServer::connectionCut, handler.home,
            [this, h](int status, const QString &reason, const QString &peer) {
                if (status == 0)
                    return;
                qCInfo(lcListener).noquote() << "refused a request from" << peer << ":" << status
                                             << reason;
                RejectedDelivery d;
                d.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
                d.remoteAddress = peer;
                d.httpStatus = status;
                d.reason = reason;
                recordRejection(h->rejected.get(), d, {});
                Q_EMIT deliveryRefused(status, reason);
            });
    auto *http = new QHttpServer(handler.home);
    http->route(QStringLiteral("/webhooks/meta"),
                [this, h](const QHttpServerRequest &request) { return handleMeta(*h, request); });
    http->route(QStringLiteral("/healthz"), [this, h] { return handleHealth(*h); });
    http->bind(tcp); // the QHttpServer owns it from here
    handler.server = tcp;
    return true;
}

void WebhookListener::stop()
{
    // No new connection first. Then each handler serves what was handed to it already (queued
    // before this), answers the request in hand (its delivery is committed first) and closes its
    // connections, in its own thread.
    delete m_acceptor;
    m_acceptor = nullptr;
    for (const std::unique_ptr<Handler> &h : m_handlers) {
        Handler *handler = h.get();
        QMetaObject::invokeMethod(
            handler->home,
            [handler] {
                delete handler->home; // also deletes its QHttpServer, server and connections
                handler->rejected.reset();
                handler->db.reset();
            },
            Qt::BlockingQueuedConnection);
        handler->thread.quit();
        handler->thread.wait();
    }
    m_handlers.clear();
    if (m_writer)
        m_writer->stop();
    m_writer.reset();
    m_unrecordedFlush.stop();
    m_checkpoint.stop();
    flushUnrecorded();
    m_rejected.reset();
    m_db.reset();
    m_address.clear();
    m_port = 0;
}

QString WebhookListener::address() const
{
    return m_address;
}

quint16 WebhookListener::port() const
{
    return m_port;
}

QHttpServerResponse WebhookListener::handleMeta(Handler &handler, const QHttpServerRequest &request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Get: return handleVerification(handler, request);
    case QHttpServerRequest::Method::Post: return handleNotification(handler, request);
    default: {
        QHttpServerResponse r = jsonError(405, QStringLiteral("Use GET (verification) or POST "
                                                              "(notifications)."));
        r.setHeader("Allow", "GET, POST");
        return r;
    }
    }
}

QHttpServerResponse WebhookListener::handleVerification(Handler &handler,
                                                        const QHttpServerRequest &request)
{
    const QUrlQuery query = request.query();
    const QString mode = query.queryItemValue(QStringLiteral("hub.mode"), QUrl::FullyDecoded);
    const QByteArray token =
        query.queryItemValue(QStringLiteral("hub.verify_token"), QUrl::FullyDecoded).toUtf8();
    const QString challenge = query.queryItemValue(QStringLiteral("hub.challenge"), QUrl::FullyDecoded);
    if (mode != QLatin1String("subscribe"))
        return refuse(handler, request, 403, QStringLiteral("Verification refused: hub.mode is not "
                                                   "\"subscribe\"."), "text/plain");
    if (m_settings.verifyToken().isEmpty())
        return refuse(handler, request, 403, QStringLiteral("Verification refused: no verify token is "
                                                   "configured (meta/verify_token)."), "text/plain");
    if (!WebhookSignature::verifyToken(m_settings.verifyToken(), token))
        return refuse(handler, request, 403, QStringLiteral("Verification refused: hub.verify_token does not "
                                                   "match the configured verify token."), "text/plain");
    qCInfo(lcListener) << "Meta subscription verified";
    QHttpServerResponse r(QByteArrayLiteral("text/plain"), challenge.toUtf8(), Status::Ok);
    // The challenge is echoed byte for byte: never let a browser read it as anything but text.
    r.setHeader("X-Content-Type-Options", "nosniff");
    return r;
}

QHttpServerResponse WebhookListener::handleNotification(Handler &handler,
                                                        const QHttpServerRequest &request)
{
    const QByteArray body = request.body();
    const auto check = WebhookSignature::verify(m_settings.appSecret(), body,
                                                request.value("X-Hub-Signature-256"));
    if (check != WebhookSignature::Result::Valid)
        return refuse(handler, request, 401, WebhookSignature::describe(check));

    WebhookPayload::Result parsed = WebhookPayload::parse(body);
    if (!parsed.ok())
        return refuse(handler, request, 400, parsed.error);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Blocks until the writer has committed it (with whatever the other handlers sent meanwhile).
    const DeliveryWriter::Result result = m_writer->store(std::move(parsed.leads), now);
    const auto &outcome = result.outcome;
    if (!outcome) {
        qCWarning(lcListener).noquote() << "answering 503, Meta will retry:" << result.error;
        Q_EMIT deliveryRefused(503, result.error);
        return jsonError(503, QStringLiteral("The lead log cannot be written right now; retry later."));
    }
    Q_EMIT deliveryStored(outcome->stored, outcome->redelivered, now, outcome->newLeadgenIds);
    return jsonResponse({{"stored", outcome->stored}, {"redelivered", outcome->redelivered}}, 200);
}

QHttpServerResponse WebhookListener::handleHealth(Handler &handler)
{
    QSqlQuery q(handler.db->sql());
    const bool dbOk = q.exec(QStringLiteral("SELECT MAX(version) FROM schema_migrations")) && q.next();
    nlohmann::json body = {
        {"status", dbOk ? "ok" : "degraded"},
        {"version", version().toStdString()},
        {"listener", address().toStdString()},
        {"database",
         {{"state", dbOk ? "ok" : "unavailable"},
          {"schema_version", dbOk ? q.value(0).toInt() : 0},
          {"path", handler.db->path().toStdString()}}},
    };
    return jsonResponse(body, dbOk ? 200 : 503);
}

QHttpServerResponse WebhookListener::refuse(Handler &handler, const QHttpServerRequest &request,
                                            int status, const QString &reason,
                                            const QByteArray &contentType)
{
    RejectedDelivery d;
    d.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    d.remoteAddress = request.remoteAddress().toString();
    d.method = request.method() == QHttpServerRequest::Method::Get ? QStringLiteral("GET")
                                                                   : QStringLiteral("POST");
    d.path = request.url().path(); // never the query: it may carry a verify token
    d.httpStatus = status;
    d.reason = reason;
    recordRejection(handler.rejected.get(), d, request.body());
    qCInfo(lcListener).noquote() << "refused" << d.method << d.path << "from" << d.remoteAddress
                                 << status << reason;
    Q_EMIT deliveryRefused(status, reason);
    if (contentType == "text/plain")
        return QHttpServerResponse(contentType, reason.toUtf8(), Status(status));
    return jsonError(status, reason);
}

void WebhookListener::recordRejection(RejectedDeliveryLog *log, RejectedDelivery delivery,
                                      const QByteArray &body)
{
    if (!log)
        return;
    // Each record is a committed (fsync'ed) write in a thread that answers Meta: past the
    // per-second budget (shared by all handlers) only count, and write one summary when the
    // second is over.
    {
        std::lock_guard lock(m_rejectMutex);
        if (delivery.receivedAtMs - m_rejectWindowStartMs >= 1000
            || delivery.receivedAtMs < m_rejectWindowStartMs) {
            m_rejectWindowStartMs = delivery.receivedAtMs;
            m_rejectsInWindow = 0;
        }
        if (m_rejectsInWindow >= kRejectionsPerSecond) {
            ++m_unrecorded;
            m_unrecordedStatus = delivery.httpStatus;
            if (m_unrecorded == 1) {
                QMetaObject::invokeMethod(this, [this] {
                    if (!m_unrecordedFlush.isActive())
                        m_unrecordedFlush.start(std::chrono::milliseconds(1000));
                });
            }
            return;
        }
        ++m_rejectsInWindow;
    }
    QString error;
    if (!log->record(delivery, body, &error))
        qCWarning(lcListener).noquote() << "could not record a rejected delivery:" << error;
}

/*
 * The writer's connection never checkpoints (wal_autocheckpoint=0): copying the WAL into the
 * database file takes milliseconds, and the delivery whose commit crossed the threshold would wait
 * for it (it was the listener's p99 during bulk reprocessing). Instead this thread, which answers no
 * request, checkpoints every kCheckpointIntervalMs (200 ms) after deliveries were committed:
 *  1. a PASSIVE checkpoint, which takes no lock: the bulk of the copying while the writer commits on;
 *  2. the same again behind the write gate, so no writer of this process appends meanwhile: it
 *     copies only what came in since step 1 and completes, so that the next commit starts the WAL
 *     over from its beginning. Without a complete checkpoint the WAL (and the shared-memory index
 *     SQLite maps for it) would grow for as long as deliveries keep coming.
 * A reader that still uses an old snapshot (a desk query) can keep a checkpoint from completing;
 * the next round tries again. Processing workers keep SQLite's own checkpoints.
 */
void WebhookListener::checkpoint()
{
    if (!m_writer || !m_db || m_writer->commits() == m_checkpointedAtCommit)
        return;
    m_checkpointedAtCommit = m_writer->commits();
    const QString passive = QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)");
    QSqlQuery q(m_db->sql());
    if (!q.exec(passive)) {
        qCWarning(lcListener).noquote() << "checkpoint failed:" << q.lastError().text();
        return;
    }
    q.finish();
    WriteGateLock gate;
    if (!gate.acquire(m_db->sql().databaseName(), m_settings.busyTimeoutMs()))
        return; // the writers are busy for that long: the next second tries again
    if (!q.exec(passive))
        qCWarning(lcListener).noquote() << "checkpoint failed:" << q.lastError().text();
}

void WebhookListener::flushUnrecorded()
{
    if (!m_rejected)
        return;
    RejectedDelivery summary;
    int unrecorded = 0;
    {
        std::lock_guard lock(m_rejectMutex);
        unrecorded = m_unrecorded;
        summary.httpStatus = m_unrecordedStatus;
        m_unrecorded = 0;
    }
    if (unrecorded == 0)
        return;
    summary.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    summary.reason = QStringLiteral("%1 more request(s) were refused within a second; more than %2 "
                                    "a second are counted here instead of recorded one by one.")
                         .arg(unrecorded)
                         .arg(kRejectionsPerSecond);
    qCWarning(lcListener).noquote() << summary.reason;
    QString error;
    if (!m_rejected->record(summary, {}, &error))
        qCWarning(lcListener).noquote() << "could not record a rejected delivery:" << error;
}

} // namespace leadkeeper
