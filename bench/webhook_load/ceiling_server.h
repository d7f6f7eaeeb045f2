#pragma once

#include <QObject>
#include <QThread>

class QHttpServer;
class QTcpServer;

namespace leadkeeper::bench {

/**
 * The ceiling for the listener: a QHttpServer whose route answers POST /webhooks/meta with a fixed
 * 200 JSON body the size of the listener's, doing no work, in a thread of its own like the
 * listener (DESIGN.md §9 measured ~27–32k/s with wrk).
 *
 * Plain binds it to a bare QTcpServer; Bounded to the listener's own BoundedTcpServer with the
 * default limits, so the difference between the two is the cost of the connection guard, and the
 * difference between Bounded and the listener is the cost of the handler's work.
 */
class CeilingServer : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Plain, Bounded };

    explicit CeilingServer(Kind kind, QObject *parent = nullptr);
    ~CeilingServer() override;

    /// Starts the thread and binds 127.0.0.1 on a free port; 0 on failure.
    quint16 start();
    void stop();

    static const char *threadName() { return "ceiling-http"; }

private:
    Kind m_kind;
    QThread m_thread;
    QObject *m_home = nullptr; ///< lives in m_thread; owns the servers
    quint16 m_port = 0;
};

} // namespace leadkeeper::bench
