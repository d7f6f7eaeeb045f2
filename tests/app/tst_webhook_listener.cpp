// What Meta (and an admin reading the store) observes of the webhook listener: a real QHttpServer
// on 127.0.0.1, port 0, running in its own thread through ListenerThread, over a real SQLite file.
// The HTTP client runs in the test thread.

#include "http_test_client.h"
#include "temp_store.h"
#include "webhook_bodies.h"

#include "ingest/listener_thread.h"
#include "ingest/webhook_listener.h"
#include "ingest/webhook_signature.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/rejected_delivery_log.h"
#include "version.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QByteArray kSecret = TempStore::kAppSecret;
const QByteArray kToken = TempStore::kVerifyToken;

QJsonObject jsonOf(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

QByteArray verifyPath(const QByteArray &mode, const QByteArray &token, const QByteArray &challenge)
{
    return "/webhooks/meta?hub.mode=" + QUrl::toPercentEncoding(QString::fromUtf8(mode))
           + "&hub.verify_token=" + QUrl::toPercentEncoding(QString::fromUtf8(token))
           + "&hub.challenge=" + QUrl::toPercentEncoding(QString::fromUtf8(challenge));
}

} // namespace

class TestWebhookListener : public QObject
{
    Q_OBJECT

private:
    /// Starts a listener over a fresh temporary store; `tweak` adjusts its settings first.
    void startListener(const std::function<void(Settings &)> &tweak = {})
    {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isValid());
        Settings settings = m_store->settings();
        if (tweak)
            tweak(settings);
        m_listener = std::make_unique<ListenerThread>(settings);
        QString error;
        QVERIFY2(m_listener->start(&error), qPrintable(error));
        QVERIFY(m_listener->port() != 0);
    }

    /// A short-lived connection of the test thread to the store, as the desk would read it.
    std::optional<Database> openStore()
    {
        QString error;
        auto db = Database::open(m_store->databasePath(), &error);
        if (!db)
            qWarning("cannot open the test store: %s", qPrintable(error));
        return db;
    }

    int leadCount() { return m_store->leadCount(); }
    std::optional<LeadLogEntry> findLead(const QString &leadgenId) { return m_store->findLead(leadgenId); }
    QList<RejectedDelivery> rejected() { return m_store->rejected(); }

    HttpResponse post(const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
    {
        return httpRequest(m_listener->port(), "POST", "/webhooks/meta", body, headers);
    }

    HttpResponse postSigned(const QByteArray &body)
    {
        return post(body, {{"X-Hub-Signature-256", WebhookSignature::sign(kSecret, body)}});
    }

    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<ListenerThread> m_listener;

private Q_SLOTS:
    void cleanup()
    {
        m_listener.reset();
        m_store.reset();
    }

    void handshake_data()
    {
        QTest::addColumn<QByteArray>("mode");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<int>("status");

        QTest::newRow("right token") << QByteArray("subscribe") << kToken << QByteArray("1158201444")
                                     << 200;
        QTest::newRow("challenge kept byte for byte")
            << QByteArray("subscribe") << kToken << QByteArray("a b&c=d/é") << 200;
        QTest::newRow("wrong token") << QByteArray("subscribe") << QByteArray("guess")
                                     << QByteArray("1158201444") << 403;
        QTest::newRow("token prefix") << QByteArray("subscribe") << kToken.left(kToken.size() - 1)
                                      << QByteArray("1158201444") << 403;
        QTest::newRow("empty token") << QByteArray("subscribe") << QByteArray()
                                     << QByteArray("1158201444") << 403;
        QTest::newRow("wrong mode") << QByteArray("unsubscribe") << kToken
                                    << QByteArray("1158201444") << 403;
        QTest::newRow("no mode") << QByteArray() << kToken << QByteArray("1158201444") << 403;
    }

    void handshake()
    {
        QFETCH(QByteArray, mode);
        QFETCH(QByteArray, token);
        QFETCH(QByteArray, challenge);
        QFETCH(int, status);
        startListener();

        const HttpResponse r =
            httpRequest(m_listener->port(), "GET", verifyPath(mode, token, challenge));
        QCOMPARE(r.status, status);
        if (status == 200) {
            QVERIFY2(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
            QCOMPARE(r.body, challenge);
            QCOMPARE(r.header("X-Content-Type-Options"), QByteArray("nosniff"));
            QVERIFY(rejected().isEmpty());
        } else {
            QVERIFY(!r.body.contains(challenge));
            const auto log = rejected();
            QCOMPARE(log.size(), 1);
            QCOMPARE(log.first().httpStatus, 403);
            QCOMPARE(log.first().method, QStringLiteral("GET"));
            QCOMPARE(log.first().path, QStringLiteral("/webhooks/meta"));
            QVERIFY(!log.first().reason.isEmpty());
            // The verify token travels in the query: it must not be kept.
            QVERIFY(!log.first().reason.contains(QLatin1String(kToken)));
            QVERIFY(!log.first().bodyExcerpt.contains(QLatin1String(kToken)));
        }
        QCOMPARE(leadCount(), 0);
    }

    void handshakeNeverVerifiesWithoutConfiguredToken()
    {
        startListener([](Settings &s) { s.set("meta/verify_token", QString()); });
        for (const QByteArray &token : {QByteArray(), QByteArray("anything")}) {
            const HttpResponse r =
                httpRequest(m_listener->port(), "GET", verifyPath("subscribe", token, "42"));
            QCOMPARE(r.status, 403);
            QVERIFY(r.body != "42");
        }
        // The same request without any hub.verify_token parameter at all.
        const HttpResponse r = httpRequest(m_listener->port(), "GET",
                                           "/webhooks/meta?hub.mode=subscribe&hub.challenge=42");
        QCOMPARE(r.status, 403);
    }

    void signedDeliveryIsStored()
    {
        startListener();
        QSignalSpy stored(m_listener.get(), &ListenerThread::deliveryStored);
        const HttpResponse r = postSigned(singleLeadBody(QStringLiteral("444444444444444")));
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r).value(QLatin1String("stored")).toInt(), 1);

        const auto entry = findLead(QStringLiteral("444444444444444"));
        QVERIFY(entry);
        QCOMPARE(entry->pageId, QStringLiteral("1029384756473829"));
        QCOMPARE(entry->formId, QStringLiteral("5647382910564738"));
        QCOMPARE(entry->adId, QStringLiteral("6120000000000000001"));
        QCOMPARE(entry->adgroupId, QStringLiteral("6120000000000000002"));
        QCOMPARE(entry->createdAtMs, std::optional<qint64>(1763800000LL * 1000));
        QCOMPARE(entry->status, LeadStatus::Pending);
        QCOMPARE(entry->source, LeadSource::Webhook);
        QCOMPARE(entry->deliveries, 1);
        QVERIFY(!entry->organic);
        QVERIFY(entry->rawPayload.contains("444444444444444"));
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 1, 10000);
        QCOMPARE(stored.first().at(0).toInt(), 1);
        QCOMPARE(stored.first().at(3).toStringList(), QStringList{QStringLiteral("444444444444444")});
    }

    void badSignatureIsRefused_data()
    {
        QTest::addColumn<bool>("configureSecret");
        QTest::addColumn<QByteArray>("header"); // "<sign:KEY>" signs the body with KEY
        QTest::addColumn<QString>("reasonWord");

        QTest::newRow("wrong secret") << true << QByteArray("<sign:not-the-secret>")
                                      << QStringLiteral("does not match");
        QTest::newRow("signature of another body")
            << true << WebhookSignature::sign(kSecret, "{}") << QStringLiteral("does not match");
        QTest::newRow("missing header") << true << QByteArray() << QStringLiteral("missing");
        QTest::newRow("malformed header") << true << QByteArray("sha1=abcdef")
                                          << QStringLiteral("not of the form");
        QTest::newRow("no app secret configured")
            << false << QByteArray("<sign:>") << QStringLiteral("No app secret");
        QTest::newRow("no app secret, signed with the test secret")
            << false << QByteArray("<sign:test-app-secret>") << QStringLiteral("No app secret");
    }

    void badSignatureIsRefused()
    {
        QFETCH(bool, configureSecret);
        QFETCH(QByteArray, header);
        QFETCH(QString, reasonWord);
        startListener([&](Settings &s) {
            if (!configureSecret)
                s.set("meta/app_secret", QString());
        });
        QSignalSpy refused(m_listener.get(), &ListenerThread::deliveryRefused);

        const QByteArray body = singleLeadBody(QStringLiteral("555555555555555"));
        if (header.startsWith("<sign:"))
            header = WebhookSignature::sign(header.mid(6, header.size() - 7), body);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!header.isEmpty())
            headers.append({"X-Hub-Signature-256", header});
        const HttpResponse r = post(body, headers);

        QCOMPARE(r.status, 401);
        QVERIFY2(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        const QString error = jsonOf(r).value(QLatin1String("error")).toString();
        QVERIFY2(error.contains(reasonWord), qPrintable(error));
        QCOMPARE(leadCount(), 0);

        const auto log = rejected();
        QCOMPARE(log.size(), 1);
        const RejectedDelivery &d = log.first();
        QCOMPARE(d.httpStatus, 401);
        QCOMPARE(d.method, QStringLiteral("POST"));
        QCOMPARE(d.path, QStringLiteral("/webhooks/meta"));
        QCOMPARE(d.remoteAddress, QStringLiteral("127.0.0.1"));
        QVERIFY2(d.reason.contains(reasonWord), qPrintable(d.reason));
        QCOMPARE(d.bodySize, body.size());
        for (const QString &text : {d.reason, d.bodyExcerpt, d.path}) {
            QVERIFY(!text.contains(QLatin1String(kSecret)));
            QVERIFY(!text.contains(QLatin1String(kToken)));
        }
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 10000);
        QCOMPARE(refused.first().at(0).toInt(), 401);
    }

    void batchStoresEveryLeadgenChangeAndIgnoresOthers()
    {
        startListener();
        QSignalSpy stored(m_listener.get(), &ListenerThread::deliveryStored);
        // Two entries, three leadgen changes, plus changes of other fields Meta may mix in.
        const QByteArray body = R"({"object":"page","entry":[
            {"id":"111111111111111","time":1763800001,"changes":[
                {"field":"feed","value":{"item":"status","post_id":"111_222"}},
                {"field":"leadgen","value":{"leadgen_id":"900000000000001","page_id":"111111111111111",
                    "form_id":"700000000000001","ad_id":"600000000000001","adgroup_id":"500000000000001",
                    "created_time":1763800000}},
                {"field":"leadgen","value":{"leadgen_id":900000000000002,"page_id":111111111111111,
                    "form_id":700000000000001,"created_time":1763800002}}]},
            {"id":"222222222222222","time":1763800003,"changes":[
                {"field":"leadgen","value":{"leadgen_id":"900000000000003",
                    "form_id":"700000000000003","created_time":"2025-11-22T08:26:40+0000"}},
                {"field":"mention","value":{"post_id":"1"}}]}]})";
        const HttpResponse r = postSigned(body);
        QCOMPARE(r.status, 200);
        QCOMPARE(jsonOf(r).value(QLatin1String("stored")).toInt(), 3);
        QCOMPARE(leadCount(), 3);

        const auto first = findLead(QStringLiteral("900000000000001"));
        const auto second = findLead(QStringLiteral("900000000000002"));
        const auto third = findLead(QStringLiteral("900000000000003"));
        QVERIFY(first && second && third);
        QCOMPARE(first->adId, QStringLiteral("600000000000001"));
        QCOMPARE(second->pageId, QStringLiteral("111111111111111"));
        QVERIFY(second->organic); // no ad id: organic or Meta's testing tool
        QCOMPARE(third->pageId, QStringLiteral("222222222222222")); // from the entry
        QCOMPARE(third->createdAtMs, std::optional<qint64>(1763800000LL * 1000));
        // One delivery, one commit: the three share their received time and one signal.
        QCOMPARE(first->receivedAtMs, second->receivedAtMs);
        QCOMPARE(first->receivedAtMs, third->receivedAtMs);
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 1, 10000);
        QCOMPARE(stored.first().at(0).toInt(), 3);
    }

    void batchWithOneBadChangeStoresNothing()
    {
        startListener();
        LeadgenChange good;
        good.leadgenId = QStringLiteral("900000000000011");
        LeadgenChange bad;
        bad.leadgenId = QStringLiteral("9000000000000x2");
        const QByteArray body = webhookBody({WebhookEntry{QStringLiteral("1029384756473829"), {good}},
                                             WebhookEntry{QStringLiteral("1029384756473829"), {bad}}});
        const HttpResponse r = postSigned(body);
        QCOMPARE(r.status, 400);
        const QString error = jsonOf(r).value(QLatin1String("error")).toString();
        QVERIFY2(error.contains(QLatin1String("entry[1].changes[0]")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("leadgen_id")), qPrintable(error));
        QCOMPARE(leadCount(), 0);
    }

    void idsAreKeptAsExactDigits_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("asNumbers");
        for (const char *id : {"1234567890123456789", "9223372036854775807", "18446744073709551615",
                               "9007199254740993"}) {
            QTest::addRow("%s as number", id) << QString::fromLatin1(id) << true;
            QTest::addRow("%s as string", id) << QString::fromLatin1(id) << false;
        }
    }

    void idsAreKeptAsExactDigits()
    {
        QFETCH(QString, id);
        QFETCH(bool, asNumbers);
        startListener();
        LeadgenChange change;
        change.leadgenId = id;
        change.pageId = id;
        change.formId = id;
        change.adId = id;
        change.adgroupId = id;
        change.idsAsNumbers = asNumbers;
        const QByteArray body = webhookBody({WebhookEntry{id, {change}}});
        QCOMPARE(asNumbers, body.contains(R"("leadgen_id":)" + id.toLatin1() + ','));
        const HttpResponse r = postSigned(body);
        QCOMPARE(r.status, 200);
        const auto entry = findLead(id);
        QVERIFY(entry);
        QCOMPARE(entry->leadgenId, id);
        QCOMPARE(entry->pageId, id);
        QCOMPARE(entry->formId, id);
        QCOMPARE(entry->adId, id);
        QCOMPARE(entry->adgroupId, id);
        // The raw payload keeps what arrived, digits intact.
        QVERIFY(entry->rawPayload.contains(id.toLatin1()));
    }

    void floatIdIsRefused_data()
    {
        QTest::addColumn<QByteArray>("leadgenId");
        QTest::addColumn<QString>("field");
        QTest::newRow("1.5e18") << QByteArray("1.5e18") << QStringLiteral("leadgen_id");
        QTest::newRow("1234567890123456789.0")
            << QByteArray("1234567890123456789.0") << QStringLiteral("leadgen_id");
        QTest::newRow("negative") << QByteArray("-5") << QStringLiteral("leadgen_id");
        QTest::newRow("beyond 64 bits") << QByteArray("123456789012345678901")
                                        << QStringLiteral("leadgen_id");
    }

    void floatIdIsRefused()
    {
        QFETCH(QByteArray, leadgenId);
        QFETCH(QString, field);
        startListener();
        const QByteArray body = R"({"object":"page","entry":[{"id":"1029384756473829","time":1,)"
                                R"("changes":[{"field":"leadgen","value":{"leadgen_id":)"
                                + leadgenId + R"(,"page_id":"1029384756473829"}}]}]})";
        const HttpResponse r = postSigned(body);
        QCOMPARE(r.status, 400);
        const QString error = jsonOf(r).value(QLatin1String("error")).toString();
        QVERIFY2(error.contains(field), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("entry[0].changes[0]")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("not a Meta id")), qPrintable(error));
        QCOMPARE(leadCount(), 0);
        const auto log = rejected();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().httpStatus, 400);
    }

    void redeliveryIsCountedNotDuplicated()
    {
        startListener();
        const QByteArray body = singleLeadBody(QStringLiteral("777777777777777"));
        const HttpResponse first = postSigned(body);
        QCOMPARE(first.status, 200);
        QCOMPARE(jsonOf(first).value(QLatin1String("stored")).toInt(), 1);
        const HttpResponse second = postSigned(body);
        QCOMPARE(second.status, 200);
        QCOMPARE(jsonOf(second).value(QLatin1String("stored")).toInt(), 0);
        QCOMPARE(jsonOf(second).value(QLatin1String("redelivered")).toInt(), 1);
        // The same lead in another shape (ids as numbers) is still the same lead.
        const HttpResponse third = postSigned(singleLeadBody(QStringLiteral("777777777777777"), true));
        QCOMPARE(third.status, 200);

        QCOMPARE(leadCount(), 1);
        const auto entry = findLead(QStringLiteral("777777777777777"));
        QVERIFY(entry);
        QCOMPARE(entry->deliveries, 3);
    }

    void malformedBodiesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");

        QTest::newRow("not JSON") << QByteArray(R"({"object":"page","entry":[)")
                                  << QStringLiteral("not valid JSON");
        QTest::newRow("empty body") << QByteArray() << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("must be a JSON object");
        QTest::newRow("object user") << QByteArray(R"({"object":"user","entry":[]})")
                                     << QStringLiteral("\"object\" is \"user\"");
        QTest::newRow("no object") << QByteArray(R"({"entry":[]})") << QStringLiteral("no \"object\"");
        QTest::newRow("no entry") << QByteArray(R"({"object":"page"})")
                                  << QStringLiteral("no \"entry\" array");
        QTest::newRow("no leadgen change")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","time":1,"changes":[)"
                          R"({"field":"feed","value":{"item":"post"}}]}]})")
            << QStringLiteral("no leadgen change");
        QTest::newRow("empty entry list") << QByteArray(R"({"object":"page","entry":[]})")
                                          << QStringLiteral("no leadgen change");
        QTest::newRow("leadgen without value")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen"}]}]})")
            << QStringLiteral("without a \"value\"");
        QTest::newRow("leadgen without leadgen_id")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen",)"
                          R"("value":{"page_id":"1"}}]}]})")
            << QStringLiteral("without a leadgen_id");
    }

    void malformedBodiesAreRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        startListener();
        const HttpResponse r = postSigned(body);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        const QString error = jsonOf(r).value(QLatin1String("error")).toString();
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(leadCount(), 0);
        const auto log = rejected();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().httpStatus, 400);
        QCOMPARE(log.first().reason, error);
        QCOMPARE(log.first().bodySize, body.size());
    }

    void oversizedAnnouncedBodyIsRefusedBeforeItIsSent()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QByteArray body = singleLeadBody(QStringLiteral("888888888888888"));
        // Only the headers: the 413 must come without the client sending a byte of the body.
        QVERIFY(client.writeRaw("POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\n"
                                "X-Hub-Signature-256: " + WebhookSignature::sign(kSecret, body)
                                + "\r\nContent-Length: 2097152\r\n\r\n"));
        const HttpResponse r = client.readResponse(10000);
        QCOMPARE(r.status, 413);
        QVERIFY2(jsonOf(r).value(QLatin1String("error")).toString().contains(QLatin1String("larger")),
                 r.body.constData());
        QVERIFY(client.waitForClose(10000));
        QCOMPARE(leadCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(rejected().size(), 1, 10000);
        QCOMPARE(rejected().first().httpStatus, 413);
    }

    void storeThatCannotWriteAnswers503AndKeepsNothing()
    {
        startListener([](Settings &s) { s.set("store/busy_timeout_ms", QStringLiteral("200")); });
        const QByteArray body = singleLeadBody(QStringLiteral("999999999999999"));
        {
            // Another process holds the write lock.
            const QString name = QStringLiteral("tst-lock-holder");
            {
                QSqlDatabase lock = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                lock.setDatabaseName(m_store->databasePath());
                lock.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
                QVERIFY(lock.open());
                QSqlQuery q(lock);
                QVERIFY2(q.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(q.lastError().text()));
                QVERIFY(q.exec(QStringLiteral("INSERT INTO rejected_deliveries (received_at, "
                                              "http_status, reason) VALUES (1, 1, 'lock')")));

                const HttpResponse r = postSigned(body);
                QCOMPARE(r.status, 503);
                const QString error = jsonOf(r).value(QLatin1String("error")).toString();
                QVERIFY2(error.contains(QLatin1String("retry")), qPrintable(error));
                QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
                lock.close();
            }
            QSqlDatabase::removeDatabase(name);
        }
        // Nothing was acknowledged, and nothing half-written is left behind.
        QCOMPARE(leadCount(), 0);
        {
            auto db = openStore();
            QVERIFY(db);
            QSqlQuery q(db->sql());
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log_history")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        // Meta's retry goes through.
        const HttpResponse retry = postSigned(body);
        QCOMPARE(retry.status, 200);
        QCOMPARE(jsonOf(retry).value(QLatin1String("stored")).toInt(), 1);
        const auto entry = findLead(QStringLiteral("999999999999999"));
        QVERIFY(entry);
        QCOMPARE(entry->deliveries, 1);
    }

    void answersWhileTheOwningThreadIsBusy()
    {
        startListener();
        const quint16 port = m_listener->port();
        std::atomic<int> status{-1};
        std::atomic<bool> done{false};
        std::thread meta([&] {
            const QByteArray body = singleLeadBody(QStringLiteral("121212121212121"));
            status = httpRequest(port, "POST", "/webhooks/meta", body,
                                 {{"X-Hub-Signature-256", WebhookSignature::sign(kSecret, body)}})
                         .status;
            done = true;
        });
        // The thread that owns the ListenerThread is stuck: no event of it is processed.
        QElapsedTimer clock;
        clock.start();
        while (!done && clock.elapsed() < 30000) {
        }
        meta.join();
        QCOMPARE(status.load(), 200);
        QVERIFY(findLead(QStringLiteral("121212121212121")));
    }

    void healthReportsVersionAndDatabase()
    {
        startListener();
        const HttpResponse r = httpRequest(m_listener->port(), "GET", "/healthz");
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(o.value(QLatin1String("version")).toString(), version());
        const QJsonObject db = o.value(QLatin1String("database")).toObject();
        QCOMPARE(db.value(QLatin1String("state")).toString(), QStringLiteral("ok"));
        QVERIFY(db.value(QLatin1String("schema_version")).toInt() >= 1);
        // Nothing secret in a public health check.
        QVERIFY(!r.body.contains(kSecret));
        QVERIFY(!r.body.contains(kToken));
    }

    void otherMethodsAndPaths()
    {
        startListener();
        const HttpResponse put = httpRequest(m_listener->port(), "PUT", "/webhooks/meta", "{}");
        QCOMPARE(put.status, 405);
        QCOMPARE(put.header("Allow"), QByteArray("GET, POST"));
        const HttpResponse unknown = httpRequest(m_listener->port(), "GET", "/nowhere");
        QCOMPARE(unknown.status, 404);
        QCOMPARE(leadCount(), 0);
    }

    void floodOfBadRequestsIsCountedNotWrittenOneByOne()
    {
        startListener();
        constexpr int kRequests = 200;
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kRequests; ++i) {
            const HttpResponse r = client.request("POST", "/webhooks/meta", "{}",
                                                  {{"X-Hub-Signature-256", "sha256=bad"}});
            QCOMPARE(r.status, 401);
        }
        const qint64 elapsedMs = clock.elapsed();

        // Every refusal is accounted for: one record each, or summed up in a summary record.
        auto accountedFor = [this](int *records) {
            auto db = openStore();
            if (!db)
                return -1;
            QSqlQuery q(db->sql());
            q.exec(QStringLiteral("SELECT reason FROM rejected_deliveries"));
            int total = 0;
            *records = 0;
            while (q.next()) {
                ++*records;
                const QString reason = q.value(0).toString();
                if (reason.contains(QLatin1String("more request(s) were refused")))
                    total += reason.section(QLatin1Char(' '), 0, 0).toInt();
                else
                    ++total;
            }
            return total;
        };
        int records = 0;
        QTRY_COMPARE_WITH_TIMEOUT(accountedFor(&records), kRequests, 10000);
        // At most the per-second budget for each second the flood lasted, plus one summary each.
        const int seconds = int(elapsedMs / 1000) + 2;
        QVERIFY2(records <= seconds * (WebhookListener::kRejectionsPerSecond + 1),
                 qPrintable(QStringLiteral("%1 records in %2 ms").arg(records).arg(elapsedMs)));
        QVERIFY(records >= WebhookListener::kRejectionsPerSecond);
        QCOMPARE(leadCount(), 0);
        // Real deliveries are not held back by it.
        QCOMPARE(postSigned(singleLeadBody(QStringLiteral("131313131313131"))).status, 200);
    }

    void stopClosesConnectionsAndStartWorksAgain()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        QCOMPARE(client.postWebhook(singleLeadBody(QStringLiteral("141414141414141")), kSecret).status,
                 200);
        const quint16 oldPort = m_listener->port();
        m_listener->stop();
        QVERIFY(!m_listener->isListening());
        QVERIFY(client.waitForClose(10000));
        m_listener->stop(); // idempotent

        QString error;
        QVERIFY2(m_listener->start(&error), qPrintable(error));
        QVERIFY(m_listener->port() != 0);
        HttpTestClient again(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(again.connectToServer());
        QCOMPARE(again.postWebhook(singleLeadBody(QStringLiteral("141414141414142")), kSecret).status,
                 200);
        QCOMPARE(leadCount(), 2);
        // The old port is free again: nothing was left listening on it.
        QTcpServer reuse;
        QVERIFY2(reuse.listen(QHostAddress::LocalHost, oldPort), qPrintable(reuse.errorString()));
    }

    void startReportsWhatToFix()
    {
        m_store = std::make_unique<TempStore>();
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost));
        Settings settings = m_store->settings();
        settings.set("listener/address", QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort()));
        ListenerThread busyPort(settings);
        QSignalSpy failed(&busyPort, &ListenerThread::failed);
        QString error;
        QVERIFY(!busyPort.start(&error));
        QVERIFY2(error.contains(QString::number(occupant.serverPort())), qPrintable(error));
        QVERIFY(!busyPort.isListening());
        QCOMPARE(failed.size(), 1);

        Settings badDb = m_store->settings();
        badDb.set("store/database", m_store->dir() + QStringLiteral("/not-a-db.txt"));
        {
            QFile junk(m_store->dir() + QStringLiteral("/not-a-db.txt"));
            QVERIFY(junk.open(QIODevice::WriteOnly));
            junk.write(QByteArray(4096, 'x'));
        }
        ListenerThread brokenStore(badDb);
        error.clear();
        QVERIFY(!brokenStore.start(&error));
        QVERIFY(!error.isEmpty());
    }

    void startAsyncReportsTheAddress()
    {
        m_store = std::make_unique<TempStore>();
        m_listener = std::make_unique<ListenerThread>(m_store->settings());
        QSignalSpy started(m_listener.get(), &ListenerThread::started);
        m_listener->startAsync();
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
        QVERIFY(m_listener->isListening());
        QCOMPARE(started.first().at(0).toString(), m_listener->address());
        QVERIFY(m_listener->address().startsWith(QLatin1String("127.0.0.1:")));
        QCOMPARE(httpRequest(m_listener->port(), "GET", "/healthz").status, 200);
    }

    void keepAliveConnectionServesManyRequests()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        for (int i = 0; i < 20; ++i) {
            const QString id = QStringLiteral("31000000000%1").arg(i, 4, 10, QLatin1Char('0'));
            const HttpResponse r = client.postWebhook(singleLeadBody(id), kSecret);
            QCOMPARE(r.status, 200);
        }
        QCOMPARE(leadCount(), 20);
    }

    // The writer never checkpoints (a delivery would wait for it); the listener's own thread moves
    // the write-ahead log into the database file shortly after. Read the file alone (immutable:
    // SQLite ignores the -wal) to see what has reached it.
    void committedDeliveriesReachTheDatabaseFileWithoutWaitingForAWriter()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        for (int i = 0; i < 30; ++i) {
            const QString id = QStringLiteral("32000000000%1").arg(i, 4, 10, QLatin1Char('0'));
            QCOMPARE(client.postWebhook(singleLeadBody(id), kSecret).status, 200);
        }
        auto rowsInTheFile = [this] {
            const QString name = QStringLiteral("immutable-read");
            int rows = -1;
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                QUrl url = QUrl::fromLocalFile(m_store->databasePath());
                url.setQuery(QStringLiteral("immutable=1"));
                db.setDatabaseName(url.toString(QUrl::FullyEncoded));
                db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
                if (db.open()) {
                    QSqlQuery q(db);
                    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log")) && q.next())
                        rows = q.value(0).toInt();
                }
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
            return rows;
        };
        QTRY_COMPARE_WITH_TIMEOUT(rowsInTheFile(), 30, 10000);
    }

    // A listener that receives for days must not grow its write-ahead log (and the memory SQLite
    // maps for its index) without end: after a checkpoint the log is written from its start again.
    void writeAheadLogDoesNotGrowWhileDeliveriesKeepComing()
    {
        startListener();
        HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
        QVERIFY(client.connectToServer());
        const QString wal = m_store->databasePath() + QStringLiteral("-wal");
        // Deliveries without a pause (there is never a quiet moment for a checkpoint to finish
        // in), for 3 and then 9 checkpoint intervals.
        int sent = 0;
        QElapsedTimer clock;
        clock.start();
        auto sendUntil = [&](qint64 ms) {
            while (clock.elapsed() < ms) {
                const QString id = QStringLiteral("330000000%1").arg(sent, 6, 10, QLatin1Char('0'));
                if (client.postWebhook(singleLeadBody(id), kSecret).status != 200)
                    return false;
                ++sent;
            }
            return true;
        };
        QVERIFY(sendUntil(3 * WebhookListener::kCheckpointIntervalMs));
        const qint64 early = QFileInfo(wal).size();
        QVERIFY(early > 0);
        QVERIFY(sendUntil(9 * WebhookListener::kCheckpointIntervalMs));
        const qint64 late = QFileInfo(wal).size();
        QVERIFY2(late < early * 2,
                 qPrintable(QStringLiteral("the WAL grew from %1 to %2 bytes over %3 deliveries")
                                .arg(early)
                                .arg(late)
                                .arg(sent)));
        QCOMPARE(leadCount(), sent);
    }

    // Group commit (DeliveryWriter): many handler threads, one writer, one transaction per batch.

    void concurrentDeliveriesAreAllStoredOnceAndAnswered200()
    {
        startListener([](Settings &s) { s.set("listener/threads", QStringLiteral("4")); });
        constexpr int kThreads = 16;
        constexpr int kPerThread = 25;
        const quint16 port = m_listener->port();
        std::atomic<int> ok{0};
        std::atomic<int> other{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < kThreads; ++t) {
            clients.emplace_back([t, port, &ok, &other] {
                HttpTestClient client(QStringLiteral("127.0.0.1"), port);
                if (!client.connectToServer()) {
                    other += kPerThread;
                    return;
                }
                for (int i = 0; i < kPerThread; ++i) {
                    const QString id = QStringLiteral("4%1%2")
                                           .arg(t, 4, 10, QLatin1Char('0'))
                                           .arg(i, 10, 10, QLatin1Char('0'));
                    const HttpResponse r = client.postWebhook(singleLeadBody(id), kSecret, 30000);
                    (r.status == 200 && QJsonDocument::fromJson(r.body).object().value(
                                            QLatin1String("stored")).toInt() == 1
                         ? ok
                         : other)++;
                }
            });
        }
        for (std::thread &c : clients)
            c.join();
        QCOMPARE(other.load(), 0);
        QCOMPARE(ok.load(), kThreads * kPerThread);
        QCOMPARE(leadCount(), kThreads * kPerThread);
        auto db = openStore();
        QVERIFY(db);
        QSqlQuery q(db->sql());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE deliveries <> 1")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log_history")) && q.next());
        QCOMPARE(q.value(0).toInt(), kThreads * kPerThread);
    }

    void failingDeliveryFailsAloneWhileConcurrentOnesCommit()
    {
        startListener([](Settings &s) { s.set("listener/threads", QStringLiteral("4")); });
        {
            // A constraint only this test has: one leadgen id can never be inserted.
            auto db = openStore();
            QVERIFY(db);
            QSqlQuery q(db->sql());
            QVERIFY2(q.exec(QStringLiteral(
                         "CREATE TRIGGER test_poison BEFORE INSERT ON lead_log "
                         "WHEN NEW.leadgen_id = '666666666666666' "
                         "BEGIN SELECT RAISE(ABORT, 'poisoned lead'); END")),
                     qPrintable(q.lastError().text()));
        }
        // The poisoned delivery carries a good lead first: it must not be stored either.
        auto poisoned = [](int n) {
            LeadgenChange first;
            first.leadgenId = QStringLiteral("5%1").arg(n, 14, 10, QLatin1Char('0'));
            LeadgenChange poison;
            poison.leadgenId = QStringLiteral("666666666666666");
            WebhookEntry entry;
            entry.changes = {first, poison};
            return webhookBody({entry});
        };
        constexpr int kGoodThreads = 8;
        constexpr int kPerThread = 20;
        constexpr int kPoisoned = 20;
        const quint16 port = m_listener->port();
        std::atomic<int> good200{0};
        std::atomic<int> poison503{0};
        std::atomic<int> unexpected{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < kGoodThreads; ++t) {
            clients.emplace_back([t, port, &good200, &unexpected] {
                HttpTestClient client(QStringLiteral("127.0.0.1"), port);
                if (!client.connectToServer()) {
                    unexpected += kPerThread;
                    return;
                }
                for (int i = 0; i < kPerThread; ++i) {
                    const QString id = QStringLiteral("7%1%2")
                                           .arg(t, 4, 10, QLatin1Char('0'))
                                           .arg(i, 10, 10, QLatin1Char('0'));
                    const HttpResponse r = client.postWebhook(singleLeadBody(id), kSecret, 30000);
                    (r.status == 200 ? good200 : unexpected)++;
                }
            });
        }
        for (int t = 0; t < 2; ++t) {
            clients.emplace_back([t, port, &poisoned, &poison503, &unexpected] {
                HttpTestClient client(QStringLiteral("127.0.0.1"), port);
                if (!client.connectToServer()) {
                    unexpected += kPoisoned;
                    return;
                }
                for (int i = 0; i < kPoisoned; ++i) {
                    const HttpResponse r = client.postWebhook(poisoned(t * 1000 + i), kSecret, 30000);
                    (r.status == 503 ? poison503 : unexpected)++;
                }
            });
        }
        for (std::thread &c : clients)
            c.join();
        QCOMPARE(unexpected.load(), 0);
        QCOMPARE(good200.load(), kGoodThreads * kPerThread);
        QCOMPARE(poison503.load(), 2 * kPoisoned);
        QCOMPARE(leadCount(), kGoodThreads * kPerThread);
        auto db = openStore();
        QVERIFY(db);
        QSqlQuery q(db->sql());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE leadgen_id LIKE '5%' "
                                      "OR leadgen_id = '666666666666666'"))
                && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log_history")) && q.next());
        QCOMPARE(q.value(0).toInt(), kGoodThreads * kPerThread);
    }

    void writeLockedStoreAnswers503AndStoresNothing()
    {
        startListener([](Settings &s) {
            s.set("listener/threads", QStringLiteral("4"));
            s.set("store/busy_timeout_ms", QStringLiteral("200"));
        });
        auto locker = openStore();
        QVERIFY(locker);
        QSqlQuery lock(locker->sql());
        QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(lock.lastError().text()));

        constexpr int kClients = 6;
        const quint16 port = m_listener->port();
        std::atomic<int> refused{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < kClients; ++t) {
            clients.emplace_back([t, port, &refused] {
                const QByteArray body =
                    singleLeadBody(QStringLiteral("8%1").arg(t, 14, 10, QLatin1Char('0')));
                const HttpResponse r =
                    httpRequest(port, "POST", "/webhooks/meta", body,
                                {{"X-Hub-Signature-256", WebhookSignature::sign(kSecret, body)}});
                if (r.status == 503)
                    ++refused;
            });
        }
        for (std::thread &c : clients)
            c.join();
        QCOMPARE(refused.load(), kClients);
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        locker.reset();
        QCOMPARE(leadCount(), 0);
        // Once the lock is gone, the same delivery is stored.
        QCOMPARE(postSigned(singleLeadBody(QStringLiteral("800000000000000"))).status, 200);
        QCOMPARE(leadCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWebhookListener)
#include "tst_webhook_listener.moc"
