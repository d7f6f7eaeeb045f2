#include "fake_graph_server.h"
#include "meta/graph_client.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QThread>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <vector>

using namespace leadkeeper;
using namespace leadkeeper::test;

using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

const QString kVersion = QStringLiteral("v24.0");
const QByteArray kToken = "EAAGtestPageToken0123456789abcdef";
const QString kLeadId = QStringLiteral("1234567890123456789"); // 19 digits: above 2^53

} // namespace

class TestGraphClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void fetchLeadKeepsIdsExact();
    void fetchLeadErrors_data();
    void fetchLeadErrors();
    void tokenTravelsInHeaderOnly();
    void wrongTokenIsPermanent();
    void tokenNeverInErrorText();
    void timeoutIsTransient();
    void connectionRefusedIsTransient();
    void invalidIdIsRefusedWithoutRequest();
    void fetchFormsFollowsTwoPages();
    void pagingLinksAreRerootedAndStripped();
    void fetchFormLeadsPages_data();
    void fetchFormLeadsPages();
    void fetchFormLeadsSinceFilters();
    void fetchFormLeadsError();
    void debugToken();
    void concurrentClientsOverlap();

private:
    std::unique_ptr<FakeGraphServer> m_server;
};

void TestGraphClient::init()
{
    m_server = std::make_unique<FakeGraphServer>();
    QVERIFY(m_server->isListening());
    m_server->setExpectedToken(kToken);
}

void TestGraphClient::fetchLeadKeepsIdsExact()
{
    // Numbers above 2^53 as Meta may send them: a double would round them.
    const QByteArray lead =
        "{\"id\":\"" + kLeadId.toLatin1()
        + "\",\"created_time\":\"2025-01-01T10:00:00+0000\",\"ad_id\":120210000000000001,"
          "\"form_id\":\"9007199254740993\",\"field_data\":[{\"name\":\"full_name\",\"values\":"
          "[\"Zoë O'Brien\"]}],\"is_organic\":false,\"platform\":\"ig\"}";
    m_server->setLead(kLeadId, lead);

    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchLead(kLeadId, kToken);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->historyText()) : "");
    QCOMPARE(*result.value, lead); // Meta's bytes, unchanged
    const auto json = nlohmann::json::parse(result.value->toStdString());
    QCOMPARE(json["ad_id"].get<std::uint64_t>(), std::uint64_t(120210000000000001ULL));

    const QStringList targets = m_server->requestTargets();
    QCOMPARE(targets.size(), 1);
    QCOMPARE(targets.first(), QStringLiteral("/v24.0/%1?fields=%2").arg(kLeadId, GraphClient::leadFields()));
    QCOMPARE(m_server->requestCount(kLeadId), 1);

    // A realistic lead from the fixture's builder round-trips too.
    const QString other = QStringLiteral("9223372036854775807");
    m_server->setLead(other, graphLeadJson(other, {{QStringLiteral("email"), QStringLiteral("a@b.co")}},
                                           QStringLiteral("555000111222333444"), QStringLiteral("ig")));
    const auto second = client.fetchLead(other, kToken);
    QVERIFY(second.ok());
    const auto j = nlohmann::json::parse(second.value->toStdString());
    QCOMPARE(j["id"].get<std::string>(), other.toStdString());
    QCOMPARE(j["form_id"].get<std::string>(), std::string("555000111222333444"));
    QCOMPARE(j["platform"].get<std::string>(), std::string("ig"));
    QCOMPARE(j["field_data"][0]["values"][0].get<std::string>(), std::string("a@b.co"));
}

void TestGraphClient::fetchLeadErrors_data()
{
    QTest::addColumn<QString>("script"); // graph | body | malformed | unknown | drop
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<QString>("codeText");
    QTest::addColumn<qint64>("retryAfterMs");

    const Headers none;
    QTest::newRow("unknown lead 100/33") << "unknown" << 0 << 0 << 0 << QByteArray() << none << false
                                         << "100/33" << qint64(-1);
    QTest::newRow("token expired 190/463") << "graph" << 400 << 190 << 463 << QByteArray() << none
                                           << false << "190/463" << qint64(-1);
    QTest::newRow("permission 200") << "graph" << 403 << 200 << 0 << QByteArray() << none << false
                                    << "200" << qint64(-1);
    QTest::newRow("permission 10") << "graph" << 400 << 10 << 0 << QByteArray() << none << false
                                   << "10" << qint64(-1);
    QTest::newRow("service 2 under 500") << "graph" << 500 << 2 << 0 << QByteArray() << none << true
                                         << "2" << qint64(-1);
    QTest::newRow("rate limit 80005 with usage")
        << "graph" << 400 << 80005 << 0 << QByteArray()
        << Headers{{"X-Business-Use-Case-Usage",
                    "{\"104857600012345\":[{\"type\":\"leadgen\",\"call_count\":101,"
                    "\"total_cputime\":3,\"total_time\":4,\"estimated_time_to_regain_access\":15}]}"}}
        << true << "80005" << qint64(15 * 60000);
    QTest::newRow("rate limit 613") << "graph" << 400 << 613 << 0 << QByteArray() << none << true
                                    << "613" << qint64(-1);
    QTest::newRow("unknown code 9999") << "graph" << 400 << 9999 << 0 << QByteArray() << none << false
                                       << "9999" << qint64(-1);
    QTest::newRow("HTTP 502 HTML") << "body" << 502 << 0 << 0
                                   << QByteArray("<html><body>502 Bad Gateway</body></html>")
                                   << Headers{{"Content-Type", "text/html"}} << true << ""
                                   << qint64(-1);
    QTest::newRow("HTTP 500 empty") << "body" << 500 << 0 << 0 << QByteArray() << none << true << ""
                                    << qint64(-1);
    QTest::newRow("HTTP 503 Retry-After") << "body" << 503 << 0 << 0 << QByteArray("busy")
                                          << Headers{{"Retry-After", "45"}} << true << ""
                                          << qint64(45000);
    QTest::newRow("HTTP 404 plain") << "body" << 404 << 0 << 0 << QByteArray("Not Found") << none
                                    << false << "" << qint64(-1);
    QTest::newRow("malformed 200") << "malformed" << 0 << 0 << 0 << QByteArray() << none << true << ""
                                   << qint64(-1);
    QTest::newRow("connection cut") << "drop" << 0 << 0 << 0 << QByteArray() << none << true << ""
                                    << qint64(-1);
}

void TestGraphClient::fetchLeadErrors()
{
    QFETCH(QString, script);
    QFETCH(int, status);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QByteArray, body);
    QFETCH(Headers, headers);
    QFETCH(bool, transient);
    QFETCH(QString, codeText);
    QFETCH(qint64, retryAfterMs);

    if (script != QLatin1String("unknown"))
        m_server->setLead(kLeadId, graphLeadJson(kLeadId, {}, QStringLiteral("777")));
    if (script == QLatin1String("graph"))
        m_server->failLead(kLeadId, -1, status, code, subcode, headers);
    else if (script == QLatin1String("body"))
        m_server->failLeadWithBody(kLeadId, -1, status, body, headers);
    else if (script == QLatin1String("malformed"))
        m_server->setMalformed(kLeadId);
    else if (script == QLatin1String("drop"))
        m_server->dropConnection(kLeadId, -1);

    GraphClient client(m_server->baseUrl(), kVersion, 10000);
    const auto result = client.fetchLead(kLeadId, kToken);
    QVERIFY(!result.ok());
    QVERIFY(!result.value);
    const GraphError &e = *result.error;
    QCOMPARE(e.isTransient(), transient);
    QCOMPARE(e.codeText(), codeText);
    QCOMPARE(e.retryAfterMs.value_or(-1), retryAfterMs);
    QCOMPARE(e.timedOut, false);
    QCOMPARE(e.network, script == QLatin1String("drop"));
    if (!e.network)
        QCOMPARE(e.httpStatus, script == QLatin1String("unknown") ? 400
                               : script == QLatin1String("malformed") ? 200 : status);
    if (code != 0)
        QVERIFY2(e.fbtraceId.size() == 11, qPrintable(e.historyText()));
    QVERIFY(!e.staffMessage(QStringLiteral("Acme Roofing"), kLeadId).isEmpty());
    QVERIFY(m_server->requestCount(kLeadId) >= 1);

    // Once the failure is gone, the same client gets the lead.
    m_server->clearFailures();
    m_server->setMalformed(kLeadId, false);
    if (script != QLatin1String("unknown")) {
        const auto again = client.fetchLead(kLeadId, kToken);
        QVERIFY2(again.ok(), again.error ? qPrintable(again.error->historyText()) : "");
    }
}

void TestGraphClient::tokenTravelsInHeaderOnly()
{
    m_server->setLead(kLeadId, graphLeadJson(kLeadId, {}, QStringLiteral("777")));
    m_server->setFormLeads(QStringLiteral("777"), {graphLeadJson(kLeadId, {}, QStringLiteral("777"))});
    m_server->setForms(QStringLiteral("111"), {graphFormJson(QStringLiteral("777"), QStringLiteral("F"), {}),
                                               graphFormJson(QStringLiteral("778"), QStringLiteral("G"), {})});
    GraphClient client(m_server->baseUrl(), kVersion);
    QVERIFY(client.fetchLead(kLeadId, kToken).ok());
    QCOMPARE(m_server->lastAuthorization(), QByteArray("Bearer ") + kToken);
    QVERIFY(client.fetchForms(QStringLiteral("111"), kToken).ok());
    QVERIFY(client.fetchFormLeads(QStringLiteral("777"), kToken, 1000).ok());
    const QStringList targets = m_server->requestTargets();
    QCOMPARE(targets.size(), 4);
    for (const QString &target : targets) {
        QVERIFY2(!target.contains(QString::fromLatin1(kToken)), qPrintable(target));
        QVERIFY2(!target.contains(QLatin1String("access_token")), qPrintable(target));
    }
}

void TestGraphClient::wrongTokenIsPermanent()
{
    m_server->setLead(kLeadId, graphLeadJson(kLeadId, {}, QStringLiteral("777")));
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchLead(kLeadId, "EAAGsomeOtherToken");
    QVERIFY(!result.ok());
    QCOMPARE(result.error->codeText(), QStringLiteral("190/467"));
    QVERIFY(!result.error->isTransient());
    QCOMPARE(result.error->type, QStringLiteral("OAuthException"));
    QVERIFY(result.error->staffMessage(QStringLiteral("Acme"), kLeadId).contains(QLatin1String("Pages")));

    const auto none = client.fetchLead(kLeadId, QByteArray());
    QVERIFY(!none.ok());
    QCOMPARE(none.error->code, 104);
    QVERIFY(!none.error->isTransient());
}

void TestGraphClient::tokenNeverInErrorText()
{
    // Should Meta ever quote the token back, it does not reach staff or history text.
    m_server->failLeadWithBody(kLeadId, -1, 400,
                               "{\"error\":{\"message\":\"Bad token " + kToken
                                   + " given\",\"type\":\"OAuthException\",\"code\":190,"
                                     "\"fbtrace_id\":\"AAAAAAAAAAA\"}}");
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchLead(kLeadId, kToken);
    QVERIFY(!result.ok());
    const QString token = QString::fromLatin1(kToken);
    QVERIFY(!result.error->message.contains(token));
    QVERIFY(!result.error->historyText().contains(token));
    QVERIFY(!result.error->staffMessage(QStringLiteral("Acme"), kLeadId).contains(token));
    QVERIFY(result.error->message.contains(QLatin1String("[token]")));

    // debug_token's input token is in the URL: no error text may quote it either.
    const QByteArray input = "EAAGinputTokenSecret987654321";
    m_server->failLeadWithBody(QStringLiteral("debug_token"), -1, 400,
                               "{\"error\":{\"message\":\"Cannot parse " + input
                                   + "\",\"type\":\"OAuthException\",\"code\":190}}");
    const auto debug = client.debugToken(input, kToken);
    QVERIFY(!debug.ok());
    QVERIFY(!debug.error->historyText().contains(QString::fromLatin1(input)));
}

void TestGraphClient::timeoutIsTransient()
{
    m_server->setLead(kLeadId, graphLeadJson(kLeadId, {}, QStringLiteral("777")));
    m_server->setDelayMs(2000);
    GraphClient client(m_server->baseUrl(), kVersion, 300);
    QElapsedTimer clock;
    clock.start();
    const auto result = client.fetchLead(kLeadId, kToken);
    const qint64 elapsed = clock.elapsed();
    QVERIFY(!result.ok());
    QVERIFY(result.error->isTransient());
    QVERIFY(result.error->timedOut);
    QVERIFY(result.error->network);
    QVERIFY2(elapsed >= 250 && elapsed < 1800, qPrintable(QString::number(elapsed)));
    QVERIFY(result.error->staffMessage(QStringLiteral("Acme"), kLeadId).contains(QLatin1String("did not answer in time")));

    m_server->setDelayMs(0);
    GraphClient patient(m_server->baseUrl(), kVersion, 10000);
    QVERIFY(patient.fetchLead(kLeadId, kToken).ok());
}

void TestGraphClient::connectionRefusedIsTransient()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    GraphClient client(QStringLiteral("http://127.0.0.1:%1").arg(port), kVersion, 5000);
    const auto result = client.fetchLead(kLeadId, kToken);
    QVERIFY(!result.ok());
    QVERIFY(result.error->isTransient());
    QVERIFY(result.error->network);
    QVERIFY(!result.error->timedOut);
    QCOMPARE(result.error->httpStatus, 0);
    QVERIFY2(result.error->message.contains(QLatin1String("refused")), qPrintable(result.error->message));
}

void TestGraphClient::invalidIdIsRefusedWithoutRequest()
{
    GraphClient client(m_server->baseUrl(), kVersion);
    for (const QString &id : {QString(), QStringLiteral("../debug_token"), QStringLiteral("12?x=1")}) {
        const auto result = client.fetchLead(id, kToken);
        QVERIFY(!result.ok());
        QVERIFY(!result.error->isTransient());
        QVERIFY(!client.fetchForms(id, kToken).ok());
        QVERIFY(!client.fetchFormLeads(id, kToken, std::nullopt).ok());
    }
    QCOMPARE(m_server->requestCount(), 0);
}

void TestGraphClient::fetchFormsFollowsTwoPages()
{
    const QString page = QStringLiteral("104857600012345");
    m_server->setForms(page, {graphFormJson(QStringLiteral("900000000000000001"),
                                                        QStringLiteral("Roof quote"),
                                                        {QStringLiteral("full_name"),
                                                         QStringLiteral("phone_number"),
                                                         QStringLiteral("when_to_call")}),
                              graphFormJson(QStringLiteral("900000000000000002"),
                                                        QStringLiteral("Gutter check"),
                                                        {QStringLiteral("email")}, QStringLiteral("ARCHIVED")),
                              graphFormJson(QStringLiteral("900000000000000003"),
                                                        QStringLiteral("Solar"), {})});
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchForms(page, kToken);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->historyText()) : "");
    const QList<GraphForm> &forms = *result.value;
    QCOMPARE(forms.size(), 3);
    QCOMPARE(m_server->requestCount(page + QStringLiteral("/leadgen_forms")), 2);
    QCOMPARE(forms[0].id, QStringLiteral("900000000000000001"));
    QCOMPARE(forms[0].name, QStringLiteral("Roof quote"));
    QCOMPARE(forms[0].status, QStringLiteral("ACTIVE"));
    QCOMPARE(forms[0].questions.size(), 3);
    QCOMPARE(forms[0].questions[1].key, QStringLiteral("phone_number"));
    QCOMPARE(forms[0].questions[1].type, QStringLiteral("PHONE"));
    QCOMPARE(forms[0].questions[2].type, QStringLiteral("CUSTOM"));
    QCOMPARE(forms[0].questions[2].label, QStringLiteral("When to call"));
    QCOMPARE(forms[1].status, QStringLiteral("ARCHIVED"));
    QCOMPARE(forms[2].id, QStringLiteral("900000000000000003"));
    QVERIFY(m_server->requestTargets().first().contains(QLatin1String("fields=id,name,status,questions")));

    // An unknown page is Graph's 100/33.
    const auto unknown = client.fetchForms(QStringLiteral("42"), kToken);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error->codeText(), QStringLiteral("100/33"));
}

void TestGraphClient::pagingLinksAreRerootedAndStripped()
{
    // Meta's links point at graph.facebook.com and may repeat access_token: the client keeps its
    // own base and never sends the token in a URL.
    m_server->setPagingLinkBase(QStringLiteral("https://graph.facebook.com"));
    m_server->setPagingLinkCarriesToken(true);
    QList<QByteArray> leads;
    for (int i = 0; i < 5; ++i)
        leads << graphLeadJson(QStringLiteral("10000000000000000%1").arg(i), {}, QStringLiteral("777"));
    m_server->setFormLeads(QStringLiteral("777"), leads);
    m_server->setPageSize(2);
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchFormLeads(QStringLiteral("777"), kToken, std::nullopt);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->historyText()) : "");
    QCOMPARE(result.value->size(), 5);
    QCOMPARE(m_server->requestCount(QStringLiteral("777/leads")), 3);
    for (const QString &target : m_server->requestTargets())
        QVERIFY2(!target.contains(QLatin1String("access_token")), qPrintable(target));
}

void TestGraphClient::fetchFormLeadsPages_data()
{
    QTest::addColumn<int>("leads");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("requests");

    QTest::newRow("empty form") << 0 << 25 << 1;
    QTest::newRow("one page") << 25 << 25 << 1;
    QTest::newRow("three pages") << 60 << 25 << 3;
    QTest::newRow("one per page") << 4 << 1 << 4;
}

void TestGraphClient::fetchFormLeadsPages()
{
    QFETCH(int, leads);
    QFETCH(int, pageSize);
    QFETCH(int, requests);

    const QString form = QStringLiteral("555000111222333444");
    QList<QByteArray> list;
    for (int i = 0; i < leads; ++i) {
        GraphLeadSpec spec;
        spec.leadgenId = QStringLiteral("12000000000000%1").arg(i, 5, 10, QLatin1Char('0'));
        spec.formId = form;
        spec.createdTimeSec = 1735725600 - i * 60; // newest first
        spec.fieldData = {{QStringLiteral("full_name"), {QStringLiteral("Lead %1").arg(i)}}};
        list << graphLeadJson(spec);
    }
    m_server->setFormLeads(form, list);
    m_server->setPageSize(pageSize);
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchFormLeads(form, kToken, std::nullopt);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->historyText()) : "");
    QCOMPARE(result.value->size(), leads);
    QCOMPARE(m_server->requestCount(form + QStringLiteral("/leads")), requests);
    for (int i = 0; i < leads; ++i) {
        const auto j = nlohmann::json::parse(result.value->at(i).toStdString());
        QCOMPARE(QString::fromStdString(j["id"].get<std::string>()),
                 QStringLiteral("12000000000000%1").arg(i, 5, 10, QLatin1Char('0')));
    }
}

void TestGraphClient::fetchFormLeadsSinceFilters()
{
    const QString form = QStringLiteral("777");
    const qint64 t0 = 1735725600;
    QList<QByteArray> list;
    for (int i = 0; i < 6; ++i) {
        GraphLeadSpec spec;
        spec.leadgenId = QStringLiteral("3000000000000000%1").arg(i);
        spec.formId = form;
        spec.createdTimeSec = t0 - i * 100; // newest first
        list << graphLeadJson(spec);
    }
    m_server->setFormLeads(form, list);
    m_server->setPageSize(2);
    GraphClient client(m_server->baseUrl(), kVersion);

    // Since the creation second of lead 2: leads 0, 1 and 2 (inclusive, whole seconds).
    const auto result = client.fetchFormLeads(form, kToken, (t0 - 200) * 1000 + 500);
    QVERIFY2(result.ok(), result.error ? qPrintable(result.error->historyText()) : "");
    QCOMPARE(result.value->size(), 3);
    QVERIFY(result.value->at(2).contains("30000000000000002"));
    const QString first = m_server->requestTargets().first();
    QVERIFY2(first.contains(QLatin1String("filtering=")), qPrintable(first));
    // Every page keeps the filter: none of the older leads comes back.
    for (const QByteArray &lead : *result.value)
        QVERIFY(!lead.contains("30000000000000003"));

    const auto future = client.fetchFormLeads(form, kToken, (t0 + 10) * 1000);
    QVERIFY(future.ok());
    QVERIFY(future.value->isEmpty());
}

void TestGraphClient::fetchFormLeadsError()
{
    m_server->failLead(QStringLiteral("777"), 1, 400, 190, 463);
    GraphClient client(m_server->baseUrl(), kVersion);
    const auto result = client.fetchFormLeads(QStringLiteral("777"), kToken, std::nullopt);
    QVERIFY(!result.ok());
    QCOMPARE(result.error->codeText(), QStringLiteral("190/463"));
    // Unknown form: 100/33 like Meta.
    const auto unknown = client.fetchFormLeads(QStringLiteral("778"), kToken, std::nullopt);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error->codeText(), QStringLiteral("100/33"));
}

void TestGraphClient::debugToken()
{
    const QByteArray appToken = "1234567890123456|appsecretvalue";
    m_server->addAcceptedToken(appToken);
    const QByteArray good = "EAAGgoodPageToken";
    const QByteArray never = "EAAGneverExpiring";
    m_server->setDebugToken(good, graphDebugTokenJson(
                                      true, 1767225600, {QStringLiteral("leads_retrieval"),
                                                         QStringLiteral("pages_show_list")}));
    m_server->setDebugToken(never, graphDebugTokenJson(true, 0, {QStringLiteral("leads_retrieval")}));

    GraphClient client(m_server->baseUrl(), kVersion);
    const auto info = client.debugToken(good, appToken);
    QVERIFY2(info.ok(), info.error ? qPrintable(info.error->historyText()) : "");
    QVERIFY(info.value->valid);
    QCOMPARE(info.value->expiresAtMs.value_or(-1), qint64(1767225600) * 1000);
    QCOMPARE(info.value->scopes, (QStringList{QStringLiteral("leads_retrieval"), QStringLiteral("pages_show_list")}));
    QCOMPARE(info.value->appId, QStringLiteral("1234567890123456"));
    QCOMPARE(info.value->type, QStringLiteral("PAGE"));
    QVERIFY(info.value->error.isEmpty());
    QCOMPARE(m_server->lastAuthorization(), QByteArray("Bearer ") + appToken);

    const auto neverExpires = client.debugToken(never, appToken);
    QVERIFY(neverExpires.ok());
    QVERIFY(!neverExpires.value->expiresAtMs);

    const auto bad = client.debugToken("EAAGunknown", appToken);
    QVERIFY(bad.ok()); // Meta answers 200 and says the token is not valid
    QVERIFY(!bad.value->valid);
    QVERIFY(bad.value->error.contains(QLatin1String("Invalid OAuth access token")));
    QCOMPARE(m_server->requestCount(QStringLiteral("debug_token")), 3);
}

void TestGraphClient::concurrentClientsOverlap()
{
    constexpr int kClients = 16;
    constexpr int kPerClient = 8;
    constexpr int kDelayMs = 30;
    for (int c = 0; c < kClients; ++c) {
        for (int i = 0; i < kPerClient; ++i) {
            const QString id = QStringLiteral("40000000000000%1%2").arg(c, 2, 10, QLatin1Char('0')).arg(i);
            m_server->setLead(id, graphLeadJson(id, {}, QStringLiteral("777")));
        }
    }
    m_server->setDelayMs(kDelayMs);

    std::atomic<int> succeeded{0};
    std::vector<std::unique_ptr<QThread>> threads;
    QElapsedTimer clock;
    clock.start();
    for (int c = 0; c < kClients; ++c) {
        threads.emplace_back(QThread::create([this, c, &succeeded] {
            GraphClient client(m_server->baseUrl(), kVersion);
            for (int i = 0; i < kPerClient; ++i) {
                const QString id = QStringLiteral("40000000000000%1%2").arg(c, 2, 10, QLatin1Char('0')).arg(i);
                const auto r = client.fetchLead(id, kToken);
                if (r.ok() && r.value->contains(id.toLatin1()))
                    ++succeeded;
            }
        }));
        threads.back()->start();
    }
    for (auto &t : threads)
        QVERIFY(t->wait(60000));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(succeeded.load(), kClients * kPerClient);
    const qint64 serialMs = qint64(kClients) * kPerClient * kDelayMs;
    qInfo("16 clients x %d requests with %d ms per answer: %lld ms (one after the other: >= %lld ms)",
          kPerClient, kDelayMs, elapsed, serialMs);
    QVERIFY2(elapsed < serialMs / 3, qPrintable(QString::number(elapsed)));
}

QTEST_GUILESS_MAIN(TestGraphClient)
#include "tst_graph_client.moc"
