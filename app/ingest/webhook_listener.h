#pragma once

#include "settings/settings.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

namespace leadkeeper {

class BoundedTcpServer;
class Database;
class LeadLogStore;
class RejectedDeliveryLog;
struct RejectedDelivery;

/**
 * Meta's webhook endpoint and the health check, on a QHttpServer bound to a BoundedTcpServer.
 *
 * Contract (DESIGN.md §6–7): a POST is acknowledged 200 only after every lead it carries is
 * committed (synchronous=FULL) in one transaction; if the store cannot write, 503 so Meta retries.
 * Authentication failures (401/403), malformed bodies (400) and requests cut by a limit (408, 411,
 * 413, 431, 503) store no lead and are recorded in the bounded rejected-deliveries log, without
 * the query string (it may hold the verify token) and without any secret. At most
 * kRejectionsPerSecond are recorded one by one each second; the rest of a flood is summed up in
 * one record, so bad requests cannot turn into a stream of synchronous disk writes in the thread
 * that answers Meta. Handlers answer synchronously (Qt 6.4's deferred responses read a freed
 * socket when the client has gone). The object lives in, and is only called from, its own thread
 * (see ListenerThread): it opens its own database connection there.
 */
class WebhookListener : public QObject
{
    Q_OBJECT
public:
    static constexpr int kRejectionsPerSecond = 20;

    explicit WebhookListener(const Settings &settings, QObject *parent = nullptr);
    ~WebhookListener() override;

    /// Opens the store and binds. On failure *error says what to fix.
    bool start(QString *error);
    /// Stops accepting; open connections are closed after the request in hand is answered.
    void stop();
    /// Where it listens (the real port when port 0 was asked for).
    QString address() const;
    quint16 port() const;

Q_SIGNALS:
    /// Emitted after a delivery is committed (only if it brought new entries or redeliveries).
    void deliveryStored(int newEntries, int redelivered, qint64 receivedAtMs,
                        const QStringList &newLeadgenIds);
    /// Emitted for every refused request (401, 403, 400, 413, 503, ...), with its reason.
    void deliveryRefused(int status, const QString &reason);

private:
    QHttpServerResponse handleMeta(const QHttpServerRequest &request);
    QHttpServerResponse handleVerification(const QHttpServerRequest &request);
    QHttpServerResponse handleNotification(const QHttpServerRequest &request);
    QHttpServerResponse handleHealth();
    QHttpServerResponse refuse(const QHttpServerRequest &request, int status, const QString &reason,
                               const QByteArray &contentType = "application/json");
    void recordRejection(RejectedDelivery delivery, const QByteArray &body);
    void flushUnrecorded();

    Settings m_settings;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<LeadLogStore> m_store;
    std::unique_ptr<RejectedDeliveryLog> m_rejected;
    QHttpServer *m_http = nullptr;
    BoundedTcpServer *m_tcp = nullptr;

    // Flood control for the rejected-deliveries log (see recordRejection()).
    qint64 m_rejectWindowStartMs = 0;
    int m_rejectsInWindow = 0;
    int m_unrecorded = 0;
    int m_unrecordedStatus = 0;
    QTimer m_unrecordedFlush;
};

} // namespace leadkeeper
