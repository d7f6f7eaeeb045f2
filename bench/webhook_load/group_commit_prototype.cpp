#include "group_commit_prototype.h"

#include "ingest/bounded_tcp_server.h"
#include "ingest/webhook_payload.h"
#include "ingest/webhook_signature.h"
#include "settings/settings.h"
#include "store/database.h"
#include "store/lead_log_store.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace leadkeeper::bench {

namespace {

/// A listening socket on 127.0.0.1:port that other sockets may share (port 0: a free one).
int sharedListeningSocket(quint16 port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0
        || bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(fd, 1024) != 0) {
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    return fd;
}

quint16 portOf(int fd)
{
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    return ntohs(addr.sin_port);
}

QHttpServerResponse json(int status, const QByteArray &body)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), body,
                               QHttpServerResponse::StatusCode(status));
}

} // namespace

struct GroupCommitPrototype::Private
{
    struct Pending
    {
        QList<IncomingLead> leads;
        std::promise<bool> stored;
    };

    QString databasePath;
    QByteArray appSecret;
    int handlerCount = 1;

    std::thread writer;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending *> queue;
    bool stopping = false;
    std::atomic<qint64> commits{0};
    std::atomic<qint64> deliveries{0};

    QList<QThread *> handlers;
    QList<QObject *> homes; ///< one per handler thread; owns its QHttpServer

    /// Called on a handler thread: blocks until the writer has committed these leads.
    bool store(QList<IncomingLead> leads)
    {
        Pending pending{std::move(leads), {}};
        std::future<bool> done = pending.stored.get_future();
        {
            std::lock_guard lock(mutex);
            queue.push_back(&pending);
        }
        wake.notify_one();
        return done.get();
    }

    void writerLoop(std::promise<QString> opened)
    {
        pthread_setname_np(pthread_self(), "gc-writer");
        QString error;
        auto db = Database::open(databasePath, &error);
        opened.set_value(db ? QString() : error);
        if (!db)
            return;
        {
            LeadLogStore store(db->sql());
            for (;;) {
                std::deque<Pending *> batch;
                {
                    std::unique_lock lock(mutex);
                    wake.wait(lock, [this] { return stopping || !queue.empty(); });
                    if (queue.empty())
                        break;
                    batch.swap(queue);
                }
                QList<IncomingLead> leads;
                for (Pending *p : batch)
                    leads += p->leads;
                const bool ok =
                    store.storeDelivery(leads, QDateTime::currentMSecsSinceEpoch(), &error).has_value();
                ++commits;
                deliveries += qint64(batch.size());
                for (Pending *p : batch)
                    p->stored.set_value(ok);
            }
        }
    }

    QHttpServerResponse handle(const QHttpServerRequest &request)
    {
        const QByteArray body = request.body();
        if (WebhookSignature::verify(appSecret, body, request.value("X-Hub-Signature-256"))
            != WebhookSignature::Result::Valid)
            return json(401, "{\"error\":\"bad signature\"}");
        WebhookPayload::Result parsed = WebhookPayload::parse(body);
        if (!parsed.ok())
            return json(400, "{\"error\":\"bad body\"}");
        const qsizetype n = parsed.leads.size();
        if (!store(std::move(parsed.leads)))
            return json(503, "{\"error\":\"store failed\"}");
        return json(200, "{\"redelivered\":0,\"stored\":" + QByteArray::number(n) + '}');
    }
};

GroupCommitPrototype::GroupCommitPrototype(QString databasePath, QByteArray appSecret,
                                           int handlerThreads)
    : d(std::make_unique<Private>())
{
    d->databasePath = std::move(databasePath);
    d->appSecret = std::move(appSecret);
    d->handlerCount = qMax(1, handlerThreads);
}

GroupCommitPrototype::~GroupCommitPrototype()
{
    stop();
}

quint16 GroupCommitPrototype::start(QString *error)
{
    std::promise<QString> opened;
    std::future<QString> openResult = opened.get_future();
    d->stopping = false;
    d->writer = std::thread([this, p = std::move(opened)]() mutable { d->writerLoop(std::move(p)); });
    *error = openResult.get();
    if (!error->isEmpty()) {
        d->writer.join();
        return 0;
    }
    quint16 port = 0;
    for (int i = 0; i < d->handlerCount; ++i) {
        const int fd = sharedListeningSocket(port);
        if (fd < 0) {
            *error = QStringLiteral("cannot listen with SO_REUSEPORT on port %1").arg(port);
            stop();
            return 0;
        }
        port = portOf(fd);
        auto *thread = new QThread;
        thread->setObjectName(QLatin1String(handlerThreadName()));
        auto *home = new QObject;
        home->moveToThread(thread);
        thread->start();
        d->handlers << thread;
        d->homes << home;
        bool ok = false;
        QMetaObject::invokeMethod(
            home,
            [this, home, fd, &ok] {
                auto *http = new QHttpServer(home);
                http->route(QStringLiteral("/webhooks/meta"),
                            [this](const QHttpServerRequest &r) { return d->handle(r); });
                auto *tcp = new BoundedTcpServer(Settings::defaults().listenerLimits());
                ok = tcp->setSocketDescriptor(fd);
                if (!ok) {
                    delete tcp;
                    ::close(fd);
                    return;
                }
                http->bind(tcp);
            },
            Qt::BlockingQueuedConnection);
        if (!ok) {
            *error = QStringLiteral("a handler thread cannot adopt its listening socket");
            stop();
            return 0;
        }
    }
    return port;
}

void GroupCommitPrototype::stop()
{
    for (qsizetype i = 0; i < d->handlers.size(); ++i) {
        QMetaObject::invokeMethod(d->homes.at(i), [h = d->homes.at(i)] { delete h; },
                                  Qt::BlockingQueuedConnection);
        d->handlers.at(i)->quit();
        d->handlers.at(i)->wait();
        delete d->handlers.at(i);
    }
    d->handlers.clear();
    d->homes.clear();
    if (d->writer.joinable()) {
        {
            std::lock_guard lock(d->mutex);
            d->stopping = true;
        }
        d->wake.notify_one();
        d->writer.join();
    }
}

qint64 GroupCommitPrototype::commits() const
{
    return d->commits.load();
}

qint64 GroupCommitPrototype::deliveries() const
{
    return d->deliveries.load();
}

} // namespace leadkeeper::bench
