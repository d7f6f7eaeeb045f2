#include "ceiling_server.h"

#include "ingest/bounded_tcp_server.h"
#include "settings/settings.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QTcpServer>

namespace leadkeeper::bench {

CeilingServer::CeilingServer(Kind kind, QObject *parent) : QObject(parent), m_kind(kind)
{
    m_thread.setObjectName(QLatin1String(threadName()));
}

CeilingServer::~CeilingServer()
{
    stop();
}

quint16 CeilingServer::start()
{
    stop();
    m_home = new QObject;
    m_home->moveToThread(&m_thread);
    m_thread.start();
    const Kind kind = m_kind;
    quint16 port = 0;
    QMetaObject::invokeMethod(
        m_home,
        [home = m_home, kind, &port] {
            auto *http = new QHttpServer(home);
            // Same body size as the listener's answer to a single new lead.
            http->route(QStringLiteral("/webhooks/meta"), [](const QHttpServerRequest &) {
                return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                           QByteArrayLiteral("{\"redelivered\":0,\"stored\":1}"),
                                           QHttpServerResponse::StatusCode::Ok);
            });
            QTcpServer *tcp = kind == Kind::Plain
                                  ? new QTcpServer
                                  : new leadkeeper::BoundedTcpServer(Settings::defaults().listenerLimits());
            if (!tcp->listen(QHostAddress::LocalHost, 0)) {
                delete tcp;
                return;
            }
            http->bind(tcp); // takes ownership
            port = tcp->serverPort();
        },
        Qt::BlockingQueuedConnection);
    m_port = port;
    return m_port;
}

void CeilingServer::stop()
{
    if (!m_home)
        return;
    QMetaObject::invokeMethod(m_home, [h = m_home] { delete h; }, Qt::BlockingQueuedConnection);
    m_home = nullptr;
    m_thread.quit();
    m_thread.wait();
    m_port = 0;
}

} // namespace leadkeeper::bench
