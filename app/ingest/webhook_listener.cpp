#include "webhook_listener.h"

#include "bounded_tcp_server.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/rejected_delivery_log.h"
#include "store/write_gate.h"
#include "version.h"
#include "webhook_payload.h"
#include "webhook_signature.h"

#include <QDateTime>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QSqlQuery>

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

} // namespace

WebhookListener::WebhookListener(const Settings &settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_unrecordedFlush(this) // moves with us to our thread
{
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
    auto db = Database::open(m_settings.databasePath(), options, error);
    if (!db)
        return false;
    m_db = std::make_unique<Database>(std::move(*db));
    m_store = std::make_unique<LeadLogStore>(m_db->sql());
    m_rejected = std::make_unique<RejectedDeliveryLog>(m_db->sql(), m_settings.rejectedLogLimit());

    m_http = new QHttpServer(this);
    m_http->route(QStringLiteral("/webhooks/meta"),
                  [this](const QHttpServerRequest &request) { return handleMeta(request); });
    m_http->route(QStringLiteral("/healthz"), [this] { return handleHealth(); });

    const ListenAddress where = m_settings.listenAddress();
    m_tcp = new BoundedTcpServer(m_settings.listenerLimits());
    connect(m_tcp, &BoundedTcpServer::connectionCut, this,
            [this](int status, const QString &reason, const QString &peer) {
                if (status == 0)
                    return;
                qCInfo(lcListener).noquote() << "refused a request from" << peer << ":" << status
                                             << reason;
                RejectedDelivery d;
                d.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
                d.remoteAddress = peer;
                d.httpStatus = status;
                d.reason = reason;
                recordRejection(d, {});
                Q_EMIT deliveryRefused(status, reason);
            });
    if (!m_tcp->listen(where.host, where.port)) {
        *error = QStringLiteral("The webhook listener cannot listen on %1: %2")
                     .arg(where.toString(), m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    m_http->bind(m_tcp);
    qCInfo(lcListener).noquote() << "listening on" << address();
    return true;
}

void WebhookListener::stop()
{
    if (m_unrecordedFlush.isActive()) {
        m_unrecordedFlush.stop();
        flushUnrecorded();
    }
    if (m_tcp)
        m_tcp->close();
    delete m_http; // also deletes the bound server and its connections
    m_http = nullptr;
    m_tcp = nullptr;
    m_rejected.reset();
    m_store.reset();
    m_db.reset();
}

QString WebhookListener::address() const
{
    if (!m_tcp)
        return {};
    ListenAddress a{m_tcp->serverAddress(), m_tcp->serverPort()};
    return a.toString();
}

quint16 WebhookListener::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QHttpServerResponse WebhookListener::handleMeta(const QHttpServerRequest &request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Get: return handleVerification(request);
    case QHttpServerRequest::Method::Post: return handleNotification(request);
    default: {
        QHttpServerResponse r = jsonError(405, QStringLiteral("Use GET (verification) or POST "
                                                              "(notifications)."));
        r.setHeader("Allow", "GET, POST");
        return r;
    }
    }
}

QHttpServerResponse WebhookListener::handleVerification(const QHttpServerRequest &request)
{
    const QUrlQuery query = request.query();
    const QString mode = query.queryItemValue(QStringLiteral("hub.mode"), QUrl::FullyDecoded);
    const QByteArray token =
        query.queryItemValue(QStringLiteral("hub.verify_token"), QUrl::FullyDecoded).toUtf8();
    const QString challenge = query.queryItemValue(QStringLiteral("hub.challenge"), QUrl::FullyDecoded);
    if (mode != QLatin1String("subscribe"))
        return refuse(request, 403, QStringLiteral("Verification refused: hub.mode is not "
                                                   "\"subscribe\"."), "text/plain");
    if (m_settings.verifyToken().isEmpty())
        return refuse(request, 403, QStringLiteral("Verification refused: no verify token is "
                                                   "configured (meta/verify_token)."), "text/plain");
    if (!WebhookSignature::verifyToken(m_settings.verifyToken(), token))
        return refuse(request, 403, QStringLiteral("Verification refused: hub.verify_token does not "
                                                   "match the configured verify token."), "text/plain");
    qCInfo(lcListener) << "Meta subscription verified";
    QHttpServerResponse r(QByteArrayLiteral("text/plain"), challenge.toUtf8(), Status::Ok);
    // The challenge is echoed byte for byte: never let a browser read it as anything but text.
    r.setHeader("X-Content-Type-Options", "nosniff");
    return r;
}

QHttpServerResponse WebhookListener::handleNotification(const QHttpServerRequest &request)
{
    const QByteArray body = request.body();
    const auto check = WebhookSignature::verify(m_settings.appSecret(), body,
                                                request.value("X-Hub-Signature-256"));
    if (check != WebhookSignature::Result::Valid)
        return refuse(request, 401, WebhookSignature::describe(check));

    const WebhookPayload::Result parsed = WebhookPayload::parse(body);
    if (!parsed.ok())
        return refuse(request, 400, parsed.error);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const auto outcome = m_store->storeDelivery(parsed.leads, now, &error);
    if (!outcome) {
        qCWarning(lcListener).noquote() << "answering 503, Meta will retry:" << error;
        Q_EMIT deliveryRefused(503, error);
        return jsonError(503, QStringLiteral("The lead log cannot be written right now; retry later."));
    }
    Q_EMIT deliveryStored(outcome->stored, outcome->redelivered, now, outcome->newLeadgenIds);
    return jsonResponse({{"stored", outcome->stored}, {"redelivered", outcome->redelivered}}, 200);
}

QHttpServerResponse WebhookListener::handleHealth()
{
    QSqlQuery q(m_db->sql());
    const bool dbOk = q.exec(QStringLiteral("SELECT MAX(version) FROM schema_migrations")) && q.next();
    nlohmann::json body = {
        {"status", dbOk ? "ok" : "degraded"},
        {"version", version().toStdString()},
        {"listener", address().toStdString()},
        {"database",
         {{"state", dbOk ? "ok" : "unavailable"},
          {"schema_version", dbOk ? q.value(0).toInt() : 0},
          {"path", m_db->path().toStdString()}}},
    };
    return jsonResponse(body, dbOk ? 200 : 503);
}

QHttpServerResponse WebhookListener::refuse(const QHttpServerRequest &request, int status,
                                            const QString &reason, const QByteArray &contentType)
{
    RejectedDelivery d;
    d.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    d.remoteAddress = request.remoteAddress().toString();
    d.method = request.method() == QHttpServerRequest::Method::Get ? QStringLiteral("GET")
                                                                   : QStringLiteral("POST");
    d.path = request.url().path(); // never the query: it may carry a verify token
    d.httpStatus = status;
    d.reason = reason;
    recordRejection(d, request.body());
    qCInfo(lcListener).noquote() << "refused" << d.method << d.path << "from" << d.remoteAddress
                                 << status << reason;
    Q_EMIT deliveryRefused(status, reason);
    if (contentType == "text/plain")
        return QHttpServerResponse(contentType, reason.toUtf8(), Status(status));
    return jsonError(status, reason);
}

void WebhookListener::recordRejection(RejectedDelivery delivery, const QByteArray &body)
{
    if (!m_rejected)
        return;
    // Each record is a committed (fsync'ed) write in the thread that answers Meta: past the
    // per-second budget only count, and write one summary when the second is over.
    if (delivery.receivedAtMs - m_rejectWindowStartMs >= 1000
        || delivery.receivedAtMs < m_rejectWindowStartMs) {
        m_rejectWindowStartMs = delivery.receivedAtMs;
        m_rejectsInWindow = 0;
    }
    if (m_rejectsInWindow >= kRejectionsPerSecond) {
        ++m_unrecorded;
        m_unrecordedStatus = delivery.httpStatus;
        if (!m_unrecordedFlush.isActive())
            m_unrecordedFlush.start(std::chrono::milliseconds(1000));
        return;
    }
    ++m_rejectsInWindow;
    QString error;
    if (!m_rejected->record(delivery, body, &error))
        qCWarning(lcListener).noquote() << "could not record a rejected delivery:" << error;
}

void WebhookListener::flushUnrecorded()
{
    if (m_unrecorded == 0 || !m_rejected)
        return;
    RejectedDelivery summary;
    summary.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    summary.httpStatus = m_unrecordedStatus;
    summary.reason = QStringLiteral("%1 more request(s) were refused within a second; more than %2 "
                                    "a second are counted here instead of recorded one by one.")
                         .arg(m_unrecorded)
                         .arg(kRejectionsPerSecond);
    qCWarning(lcListener).noquote() << summary.reason;
    m_unrecorded = 0;
    QString error;
    if (!m_rejected->record(summary, {}, &error))
        qCWarning(lcListener).noquote() << "could not record a rejected delivery:" << error;
}

} // namespace leadkeeper
