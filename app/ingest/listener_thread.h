#pragma once

#include "settings/settings.h"

#include <QObject>
#include <QThread>

namespace leadkeeper {

class WebhookListener;

/**
 * Runs a WebhookListener in a thread of its own, so webhooks are answered while the GUI thread (or
 * anything else) is busy, and a slow caller never delays Meta (DESIGN.md §9).
 *
 * The listener is created, started, used and destroyed only in that thread; it runs its handler
 * threads and its DeliveryWriter from there (each opens its own database connection). Its signals are re-emitted here, queued into the thread that owns
 * the ListenerThread, so a busy owner delays only its own notifications, never an answer to Meta.
 * start() may be called again after stop() (or after a failed start); stop() and the destructor
 * close every connection and join the thread.
 */
class ListenerThread : public QObject
{
    Q_OBJECT
public:
    explicit ListenerThread(const Settings &settings, QObject *parent = nullptr);
    ~ListenerThread() override;

    /// Starts and waits until the listener is bound (or failed). Fine for the CLI and tests.
    bool start(QString *error);
    /// Starts without waiting; emits started() or failed().
    void startAsync();
    /// Answers the request in hand, closes every connection and joins the thread. Idempotent.
    void stop();

    /// New settings for the next start (the desk's settings dialog): stop(), setSettings(), start.
    void setSettings(const Settings &settings) { m_settings = settings; }

    bool isListening() const { return !m_address.isEmpty(); }
    QString address() const { return m_address; }
    quint16 port() const { return m_port; }

Q_SIGNALS:
    void started(const QString &address);
    void failed(const QString &error);
    void deliveryStored(int newEntries, int redelivered, qint64 receivedAtMs,
                        const QStringList &newLeadgenIds);
    void deliveryRefused(int status, const QString &reason);

private:
    void launch(Qt::ConnectionType type, QString *error, bool *ok);

    Settings m_settings;
    QThread m_thread;
    WebhookListener *m_listener = nullptr;
    QString m_address;
    quint16 m_port = 0;
};

} // namespace leadkeeper
