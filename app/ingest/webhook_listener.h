#pragma once

#include "settings/settings.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <mutex>
#include <vector>

class QHttpServerRequest;
class QHttpServerResponse;

namespace leadkeeper {

class BoundedTcpServer;
class Database;
class DeliveryWriter;
class RejectedDeliveryLog;
struct RejectedDelivery;

/**
 * Meta's webhook endpoint and the health check, answered by listener/threads handler threads, each
 * with its own QHttpServer on a BoundedTcpServer. The port is bound once, exclusively (a second
 * listener on it fails to start), by an acceptor in this object's thread that hands each
 * connection to the handler with the fewest. One connection cap (listener/max_connections) counts
 * the connections of all handlers together.
 *
 * Contract (DESIGN.md §6–7): a POST is acknowledged 200 only after every lead it carries is
 * committed (synchronous=FULL). Handlers verify and parse in parallel and hand the leads to one
 * DeliveryWriter, which commits the deliveries of all handlers together (one transaction, a
 * savepoint per delivery); the handler waits for its own outcome and answers synchronously
 * (Qt 6.4's deferred responses read a freed socket when the client has gone). If the store cannot
 * write that delivery, or the writer's bounded queue is full, 503 so Meta retries; nothing of it
 * is stored. Authentication failures (401/403), malformed bodies (400) and requests cut by a limit
 * (408, 411, 413, 431, 503) store no lead and are recorded in the bounded rejected-deliveries log,
 * without the query string (it may hold the verify token) and without any secret. At most
 * kRejectionsPerSecond are recorded one by one each second (across all handler threads); the rest
 * of a flood is summed up in one record, so bad requests cannot turn into a stream of synchronous
 * disk writes in the threads that answer Meta.
 *
 * The object lives in, and is started and stopped only from, its own thread (see ListenerThread);
 * the handlers call it from theirs (only its thread-safe parts: the settings, the writer, the
 * rejection budget and signal emission). Every thread that touches the store opens its own
 * database connection. Signals are emitted from the handler threads.
 */
class WebhookListener : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCheckpointIntervalMs = 200;
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
    struct Handler; ///< one handler thread: its QHttpServer, BoundedTcpServer and connection

    /// In the handler's thread: opens its connection and its servers; `fd` is a duplicate of the
    /// acceptor's listening socket (QHttpServer wants a listening server; it never accepts).
    bool startHandler(Handler &handler, int fd, QString *error);
    QHttpServerResponse handleMeta(Handler &handler, const QHttpServerRequest &request);
    QHttpServerResponse handleVerification(Handler &handler, const QHttpServerRequest &request);
    QHttpServerResponse handleNotification(Handler &handler, const QHttpServerRequest &request);
    QHttpServerResponse handleHealth(Handler &handler);
    QHttpServerResponse refuse(Handler &handler, const QHttpServerRequest &request, int status,
                               const QString &reason,
                               const QByteArray &contentType = "application/json");
    void recordRejection(RejectedDeliveryLog *log, RejectedDelivery delivery, const QByteArray &body);
    void flushUnrecorded();
    void checkpoint();

    Settings m_settings;
    std::unique_ptr<Database> m_db; ///< this thread's connection (the flood summaries)
    std::unique_ptr<RejectedDeliveryLog> m_rejected;
    std::unique_ptr<DeliveryWriter> m_writer;
    BoundedTcpServer *m_acceptor = nullptr; ///< in this thread; hands connections to the handlers
    std::vector<std::unique_ptr<Handler>> m_handlers;
    QString m_address;
    quint16 m_port = 0;

    // Flood control for the rejected-deliveries log (see recordRejection()), for all handlers.
    std::mutex m_rejectMutex;
    qint64 m_rejectWindowStartMs = 0;
    int m_rejectsInWindow = 0;
    int m_unrecorded = 0;
    int m_unrecordedStatus = 0;
    QTimer m_unrecordedFlush; ///< in this object's thread only
    QTimer m_checkpoint;      ///< moves the WAL into the database file, off the writer's path
    qint64 m_checkpointedAtCommit = 0;
};

} // namespace leadkeeper
