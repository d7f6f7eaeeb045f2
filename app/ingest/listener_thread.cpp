#include "listener_thread.h"

#include "webhook_listener.h"

namespace leadkeeper {

ListenerThread::ListenerThread(const Settings &settings, QObject *parent)
    : QObject(parent), m_settings(settings)
{
    m_thread.setObjectName(QStringLiteral("webhook-listener"));
}

ListenerThread::~ListenerThread()
{
    stop();
}

void ListenerThread::launch(Qt::ConnectionType type, QString *error, bool *ok)
{
    stop();
    m_listener = new WebhookListener(m_settings);
    m_listener->moveToThread(&m_thread);
    connect(m_listener, &WebhookListener::deliveryStored, this, &ListenerThread::deliveryStored);
    connect(m_listener, &WebhookListener::deliveryRefused, this, &ListenerThread::deliveryRefused);
    m_thread.start();

    WebhookListener *listener = m_listener;
    QMetaObject::invokeMethod(
        listener,
        [this, listener, type, error, ok] {
            QString why;
            const bool bound = listener->start(&why);
            const QString address = listener->address();
            const quint16 port = listener->port();
            if (type == Qt::BlockingQueuedConnection) {
                *ok = bound;
                *error = why;
                m_address = bound ? address : QString();
                m_port = port;
                return;
            }
            QMetaObject::invokeMethod(this, [this, bound, why, address, port] {
                m_address = bound ? address : QString();
                m_port = port;
                if (bound)
                    Q_EMIT started(address);
                else
                    Q_EMIT failed(why);
            });
        },
        type);
}

bool ListenerThread::start(QString *error)
{
    bool ok = false;
    launch(Qt::BlockingQueuedConnection, error, &ok);
    if (ok)
        Q_EMIT started(m_address);
    else
        Q_EMIT failed(*error);
    return ok;
}

void ListenerThread::startAsync()
{
    launch(Qt::QueuedConnection, nullptr, nullptr);
}

void ListenerThread::stop()
{
    if (!m_listener)
        return;
    // Runs between two requests in the listener's thread: the request in hand has been answered.
    QMetaObject::invokeMethod(m_listener, [l = m_listener] { delete l; },
                              Qt::BlockingQueuedConnection);
    m_listener = nullptr;
    m_thread.quit();
    m_thread.wait();
    m_address.clear();
    m_port = 0;
}

} // namespace leadkeeper
