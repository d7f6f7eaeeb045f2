// The limits Qt 6.4's QHttpServer lacks and BoundedTcpServer adds (DESIGN.md §9), observed from a
// client: oversized and endless requests, idle and slow connections, too many connections,
// pipelining and Expect: 100-continue. Short timeouts keep the file fast. The limits use coarse
// timers, which may fire up to 5% early: lower bounds on times allow for that.

#include "http_test_client.h"
#include "temp_store.h"
#include "webhook_bodies.h"

#include "ingest/listener_thread.h"
#include "ingest/webhook_signature.h"
#include "store/database.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QByteArray kSecret = TempStore::kAppSecret;
constexpr int kHeaderTimeoutMs = 1000;
constexpr int kRequestTimeoutMs = 1500;
constexpr int kIdleTimeoutMs = 1500;
constexpr int kMaxConnections = 20;

/// Resident memory of this process (server and client both live here), in bytes.
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

QByteArray postHead(const QByteArray &body, const QByteArray &extraHeaders)
{
    return "POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "X-Hub-Signature-256: " + WebhookSignature::sign(kSecret, body) + "\r\n" + extraHeaders
           + "\r\n";
}

/// Tries `attempt` until it succeeds or the time is up. For attempts with side effects (a request),
/// where QTRY_* would evaluate them once more after success.
bool eventually(const std::function<bool()> &attempt, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!attempt()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(50);
    }
    return true;
}

QByteArray signedPost(const QByteArray &body)
{
    return postHead(body, "Content-Length: " + QByteArray::number(body.size()) + "\r\n") + body;
}

} // namespace

class TestListenerLimits : public QObject
{
    Q_OBJECT

private:
    void startListener(const std::function<void(Settings &)> &tweak = {})
    {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isValid());
        Settings s = m_store->settings();
        s.set("listener/header_timeout_ms", QString::number(kHeaderTimeoutMs));
        s.set("listener/request_timeout_ms", QString::number(kRequestTimeoutMs));
        s.set("listener/idle_timeout_ms", QString::number(kIdleTimeoutMs));
        s.set("listener/max_connections", QString::number(kMaxConnections));
        if (tweak)
            tweak(s);
        m_listener = std::make_unique<ListenerThread>(s);
        QString error;
        QVERIFY2(m_listener->start(&error), qPrintable(error));
    }

    int leadCount() { return m_store->leadCount(); }

    /// A normal delivery on a new connection: the listener is still healthy.
    void verifyStillServes(const QString &leadgenId)
    {
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const HttpResponse r = client.postWebhook(singleLeadBody(leadgenId), kSecret, 20000);
        QCOMPARE(r.status, 200);
    }

    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<ListenerThread> m_listener;

private Q_SLOTS:
    void cleanup()
    {
        m_listener.reset();
        m_store.reset();
    }

    void endlessRequestIsCutWithBoundedMemory_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("expectedStatus");
        const QByteArray body = singleLeadBody(QStringLiteral("1"));
        // Without a length the request has no body: what follows is read as the next request's
        // headers, which never end. The same once a lying length is used up.
        QTest::newRow("no Content-Length") << postHead(body, {}) << 431;
        QTest::newRow("lying Content-Length")
            << postHead(body, "Content-Length: " + QByteArray::number(body.size()) + "\r\n") << 431;
        QTest::newRow("Content-Length at the limit")
            << postHead(body, "Content-Length: 1048576\r\n") << 431;
        QTest::newRow("chunked") << postHead(body, "Transfer-Encoding: chunked\r\n") << 411;
        QTest::newRow("endless header") << QByteArray("POST /webhooks/meta HTTP/1.1\r\nX-Junk: ")
                                        << 431;
    }

    void endlessRequestIsCutWithBoundedMemory()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, expectedStatus);
        startListener();

        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(socket.waitForConnected(10000));
        const qint64 before = residentBytes();
        QVERIFY(before > 0);
        qint64 peak = before;

        constexpr qint64 kTotal = 200LL * 1024 * 1024;
        const QByteArray chunk(64 * 1024, 'a');
        QByteArray received;
        qint64 sent = 0;
        QElapsedTimer clock;
        clock.start();
        socket.write(head);
        while (sent < kTotal && socket.state() == QAbstractSocket::ConnectedState
               && clock.elapsed() < 40000) {
            if (socket.bytesToWrite() < 4 * chunk.size()) {
                if (socket.write(chunk) != chunk.size())
                    break;
                sent += chunk.size();
            }
            // Never let the client's own buffer grow: wait until the kernel took the bytes.
            socket.waitForBytesWritten(200);
            if (socket.bytesAvailable())
                received += socket.readAll();
            peak = qMax(peak, residentBytes());
        }
        // The server must close the connection on its own.
        QElapsedTimer closing;
        closing.start();
        while (socket.state() == QAbstractSocket::ConnectedState && closing.elapsed() < 20000) {
            if (socket.waitForReadyRead(200))
                received += socket.readAll();
            peak = qMax(peak, residentBytes());
        }
        received += socket.readAll();
        QVERIFY2(socket.state() != QAbstractSocket::ConnectedState,
                 qPrintable(QStringLiteral("still connected after %1 MiB").arg(sent >> 20)));
        QVERIFY2(sent < kTotal, "the whole 200 MiB was accepted");
        const qint64 growth = peak - before;
        QVERIFY2(growth < 64LL * 1024 * 1024,
                 qPrintable(QStringLiteral("RSS grew by %1 MiB").arg(growth >> 20)));
        qInfo("sent %lld MiB before the cut; RSS grew by %lld KiB", sent >> 20, growth >> 10);
        // The client, still sending, reads why it was cut (not just a reset).
        QVERIFY2(received.contains("HTTP/1.1 " + QByteArray::number(expectedStatus) + ' '),
                 received.left(300).constData());
        QCOMPARE(leadCount(), 0);
        verifyStillServes(QStringLiteral("101010101010101"));
    }

    void bodyAndHeaderLimitsAreExact_data()
    {
        QTest::addColumn<qsizetype>("bodyPadding"); ///< bytes of body beyond max_body_bytes
        QTest::addColumn<qsizetype>("headerPadding"); ///< bytes of headers beyond the 16 KiB
        QTest::addColumn<int>("status");
        QTest::newRow("body at the limit") << qsizetype(0) << qsizetype(-1) << 200;
        QTest::newRow("body one byte over") << qsizetype(1) << qsizetype(-1) << 413;
        QTest::newRow("headers at the limit") << qsizetype(-1) << qsizetype(0) << 200;
        QTest::newRow("headers one byte over") << qsizetype(-1) << qsizetype(1) << 431;
    }

    void bodyAndHeaderLimitsAreExact()
    {
        QFETCH(qsizetype, bodyPadding);
        QFETCH(qsizetype, headerPadding);
        QFETCH(int, status);
        constexpr qsizetype kMaxBody = 4096;
        constexpr qsizetype kMaxHeader = 16 * 1024;
        startListener([](Settings &s) { s.set("listener/max_body_bytes", QString::number(kMaxBody)); });

        QByteArray body = singleLeadBody(QStringLiteral("111122223333444"));
        if (bodyPadding >= 0)
            body += QByteArray(kMaxBody + bodyPadding - body.size(), ' '); // JSON allows the blanks
        QByteArray head = postHead(body, "Content-Length: " + QByteArray::number(body.size()) + "\r\n");
        if (headerPadding >= 0) {
            const QByteArray name = "X-Padding: ";
            const qsizetype fill = kMaxHeader + headerPadding - head.size() - name.size() - 2;
            head.insert(head.size() - 2, name + QByteArray(fill, 'p') + "\r\n");
            QCOMPARE(head.size(), kMaxHeader + headerPadding);
        }
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        QVERIFY(client.writeRaw(head));
        if (status == 200)
            QVERIFY(client.writeRaw(body));
        const HttpResponse r = client.readResponse(20000);
        QCOMPARE(r.status, status);
        QCOMPARE(leadCount(), status == 200 ? 1 : 0);
    }

    void manyClientsAtOnce()
    {
        startListener([](Settings &s) { s.set("listener/max_connections", QStringLiteral("200")); });
        const quint16 port = m_listener->port();
        constexpr int kThreads = 8;
        constexpr int kEach = 25;
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([t, port, &ok] {
                HttpTestClient client(QStringLiteral("127.0.0.1"), port);
                if (!client.connectToServer())
                    return;
                for (int i = 0; i < kEach; ++i) {
                    const QString id = QStringLiteral("4%1%2").arg(t, 7, 10, QLatin1Char('0'))
                                           .arg(i, 7, 10, QLatin1Char('0'));
                    if (client.postWebhook(singleLeadBody(id), kSecret, 30000).status == 200)
                        ++ok;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(ok.load(), kThreads * kEach);
        QCOMPARE(leadCount(), kThreads * kEach);
    }

    void connectionsBeyondTheCapAreRefusedAndIdleOnesCut()
    {
        startListener();
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 300; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QStringLiteral("127.0.0.1"), m_listener->port());
            QVERIFY(s->waitForConnected(10000));
            sockets.push_back(std::move(s));
        }
        const qint64 connectPhaseMs = clock.elapsed();

        // Every socket ends closed by the server: the refused ones at once with a 503, the
        // accepted ones once they were idle for the idle timeout.
        int refused = 0;
        int cutIdle = 0;
        for (auto &s : sockets) {
            QByteArray received;
            QElapsedTimer wait;
            wait.start();
            while (s->state() == QAbstractSocket::ConnectedState && wait.elapsed() < 20000) {
                if (s->waitForReadyRead(100))
                    received += s->readAll();
            }
            received += s->readAll();
            QVERIFY2(s->state() != QAbstractSocket::ConnectedState, "a connection was never closed");
            if (received.startsWith("HTTP/1.1 503"))
                ++refused;
            else if (received.isEmpty())
                ++cutIdle;
            else
                QFAIL(received.left(200).constData());
        }
        qInfo("connect phase %lld ms: %d refused with 503, %d cut when idle", connectPhaseMs, refused,
              cutIdle);
        QCOMPARE(refused + cutIdle, 300);
        QVERIFY2(cutIdle >= kMaxConnections, qPrintable(QString::number(cutIdle)));
        if (connectPhaseMs < kIdleTimeoutMs / 2) {
            // No idle connection could have been cut before the last one arrived.
            QCOMPARE(cutIdle, kMaxConnections);
        }
        QVERIFY(clock.elapsed() >= kIdleTimeoutMs * 9 / 10); // coarse timers may fire 5% early
        sockets.clear();

        // Every slot was given back: the cap admits a full set of new connections again.
        std::vector<std::unique_ptr<HttpTestClient>> clients;
        for (int i = 0; i < kMaxConnections; ++i) {
            clients.push_back(std::make_unique<HttpTestClient>(QStringLiteral("127.0.0.1"),
                                                               m_listener->port()));
            QVERIFY(clients.back()->connectToServer());
        }
        for (int i = 0; i < kMaxConnections; ++i) {
            const QString id = QStringLiteral("2020000000000%1").arg(i, 2, 10, QLatin1Char('0'));
            const HttpResponse r = clients[i]->postWebhook(singleLeadBody(id), kSecret, 20000);
            QCOMPARE(r.status, 200);
        }
        clients.clear();
        QCOMPARE(leadCount(), kMaxConnections);
    }

    void refusedAtTheCapEvenWithARequestInFlight()
    {
        startListener([](Settings &s) { s.set("listener/max_connections", QStringLiteral("2")); });
        HttpTestClient first(QStringLiteral("127.0.0.1"), m_listener->port());
        HttpTestClient second(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(first.connectToServer());
        QVERIFY(second.connectToServer());
        // The two slots are taken for sure once each connection has been answered once.
        QCOMPARE(first.request("GET", "/healthz").status, 200);
        QCOMPARE(second.request("GET", "/healthz").status, 200);

        // Meta sends its request right away: it must read the 503, not a reset, and may retry.
        HttpTestClient third(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(third.connectToServer());
        const HttpResponse refused =
            third.postWebhook(singleLeadBody(QStringLiteral("161616161616161")), kSecret, 20000);
        QCOMPARE(refused.status, 503);
        QVERIFY(refused.body.contains("Too many open connections"));
        QVERIFY(third.waitForClose(10000));
        QCOMPARE(leadCount(), 0);

        // A slot comes back as soon as the server sees a connection go.
        first.socket().abort();
        const QByteArray body = singleLeadBody(QStringLiteral("161616161616161"));
        QVERIFY(eventually(
            [&] {
                return httpRequest(m_listener->port(), "POST", "/webhooks/meta", body,
                                   {{"X-Hub-Signature-256", WebhookSignature::sign(kSecret, body)}})
                           .status
                       == 200;
            },
            20000));
        QCOMPARE(leadCount(), 1);
    }

    void tricklingHeadersAreCutAtTheDeadline()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray request = signedPost(singleLeadBody(QStringLiteral("303030303030303")));
        QElapsedTimer clock;
        clock.start();
        QByteArray received;
        for (qsizetype i = 0; i < request.size() && clock.elapsed() < 20000; ++i) {
            if (!client.writeRaw(request.mid(i, 1)))
                break;
            if (client.socket().waitForReadyRead(100)) {
                received += client.socket().readAll();
                break;
            }
        }
        const qint64 answeredAfter = clock.elapsed();
        QVERIFY(client.waitForClose(10000));
        received += client.socket().readAll();
        QVERIFY2(received.startsWith("HTTP/1.1 408"), received.left(200).constData());
        QVERIFY2(answeredAfter >= kHeaderTimeoutMs * 9 / 10, qPrintable(QString::number(answeredAfter)));
        QVERIFY2(answeredAfter < 15000, qPrintable(QString::number(answeredAfter)));
        QCOMPARE(leadCount(), 0);
        verifyStillServes(QStringLiteral("303030303030304"));
    }

    void slowBodyIsCutAtTheRequestDeadline()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray body = singleLeadBody(QStringLiteral("404040404040404"));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(client.writeRaw(postHead(body, "Content-Length: "
                                                   + QByteArray::number(body.size()) + "\r\n")));
        QVERIFY(client.writeRaw(body.left(10))); // and then nothing
        const HttpResponse r = client.readResponse(20000);
        QCOMPARE(r.status, 408);
        QVERIFY(clock.elapsed() >= kRequestTimeoutMs * 9 / 10);
        QVERIFY(client.waitForClose(10000));
        QCOMPARE(leadCount(), 0);
    }

    void idleKeepAliveConnectionIsClosed()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        QCOMPARE(client.postWebhook(singleLeadBody(QStringLiteral("505050505050505")), kSecret).status,
                 200);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(client.waitForClose(20000));
        // Not at once (the idle timer starts when the request is in, a moment before this clock).
        QVERIFY2(clock.elapsed() >= kIdleTimeoutMs / 2, qPrintable(QString::number(clock.elapsed())));
    }

    void tooManyConnectionsNeverLeakSlots_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n");
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                                              15);
        QTest::newRow("bad request line") << QByteArray("GET / HTTP/9.9 extra\r\n\r\n");
        QTest::newRow("body then close")
            << signedPost(singleLeadBody(QStringLiteral("606060606060606"))).left(200);
        QTest::newRow("oversized")
            << QByteArray("POST /webhooks/meta HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
    }

    void tooManyConnectionsNeverLeakSlots()
    {
        QFETCH(QByteArray, request);
        startListener();
        // More connections than the cap, one after the other, each ending badly.
        for (int i = 0; i < kMaxConnections * 2; ++i) {
            QTcpSocket s;
            s.connectToHost(QStringLiteral("127.0.0.1"), m_listener->port());
            QVERIFY(s.waitForConnected(10000));
            s.write(request);
            QVERIFY(s.waitForBytesWritten(10000));
            s.waitForReadyRead(300);
            s.abort();
        }
        // The slots come back once the server noticed the clients went away.
        QVERIFY(eventually(
            [&] { return httpRequest(m_listener->port(), "GET", "/healthz").status == 200; }, 20000));
        verifyStillServes(QStringLiteral("707070707070707"));
    }

    void pipelinedRequestsAreAllAnswered()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray first = signedPost(singleLeadBody(QStringLiteral("808080808080801")));
        const QByteArray second = signedPost(singleLeadBody(QStringLiteral("808080808080802")));
        const QByteArray health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        QVERIFY(client.writeRaw(first + second + health));
        const HttpResponse r1 = client.readResponse(20000);
        const HttpResponse r2 = client.readResponse(20000);
        const HttpResponse r3 = client.readResponse(20000);
        QCOMPARE(r1.status, 200);
        QCOMPARE(r2.status, 200);
        QCOMPARE(r3.status, 200);
        QVERIFY2(r3.body.contains("\"database\""), r3.body.constData());
        QCOMPARE(leadCount(), 2);
        // And the connection is still usable afterwards.
        QCOMPARE(client.postWebhook(singleLeadBody(QStringLiteral("808080808080803")), kSecret).status,
                 200);
        QCOMPARE(leadCount(), 3);
    }

    void pipelinedRequestsArrivingInPieces()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray stream = signedPost(singleLeadBody(QStringLiteral("818181818181801")))
                                  + signedPost(singleLeadBody(QStringLiteral("818181818181802")));
        // Cut the stream in the middle of the second request's headers and of its body.
        const qsizetype split = stream.indexOf("POST", 10) + 30;
        QVERIFY(client.writeRaw(stream.left(split)));
        QTest::qWait(50);
        QVERIFY(client.writeRaw(stream.mid(split, 300)));
        QTest::qWait(50);
        QVERIFY(client.writeRaw(stream.mid(split + 300)));
        QCOMPARE(client.readResponse(20000).status, 200);
        QCOMPARE(client.readResponse(20000).status, 200);
        QCOMPARE(leadCount(), 2);
    }

    void expectContinueGets100Then200()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray body = singleLeadBody(QStringLiteral("909090909090909"));
        QVERIFY(client.writeRaw(postHead(body, "Content-Length: " + QByteArray::number(body.size())
                                                   + "\r\nExpect: 100-continue\r\n")));
        QByteArray interim;
        QElapsedTimer clock;
        clock.start();
        while (!interim.contains("\r\n\r\n") && clock.elapsed() < 20000) {
            if (client.socket().waitForReadyRead(200))
                interim += client.socket().readAll();
        }
        QCOMPARE(interim, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        QVERIFY(client.writeRaw(body));
        const HttpResponse r = client.readResponse(20000);
        QCOMPARE(r.status, 200);
        QCOMPARE(leadCount(), 1);
    }

    void expectContinueWithOversizedBodyGets413Only()
    {
        startListener();
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(socket.waitForConnected(10000));
        socket.write(postHead("{}", "Content-Length: 5000000\r\nExpect: 100-continue\r\n"));
        QVERIFY(socket.waitForBytesWritten(10000));
        QByteArray received;
        QElapsedTimer clock;
        clock.start();
        while (socket.state() == QAbstractSocket::ConnectedState && clock.elapsed() < 20000) {
            if (socket.waitForReadyRead(200))
                received += socket.readAll();
        }
        received += socket.readAll();
        QVERIFY(socket.state() != QAbstractSocket::ConnectedState);
        // No interim 100 for a body that will be refused: the client must not send it.
        QVERIFY2(received.startsWith("HTTP/1.1 413"), received.constData());
        QVERIFY2(!received.contains("100 Continue"), received.constData());
    }
};

QTEST_GUILESS_MAIN(TestListenerLimits)
#include "tst_listener_limits.moc"
