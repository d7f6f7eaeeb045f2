#include "meta/graph_error.h"

#include <QtTest>

using namespace leadkeeper;

using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

// Graph's error body, field for field as Meta sends it.
QByteArray graphBody(int code, int subcode = 0, const QByteArray &message = "(#0) Some error",
                     const QByteArray &type = "OAuthException")
{
    QByteArray body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
                      + "\",\"code\":" + QByteArray::number(code);
    if (subcode)
        body += ",\"error_subcode\":" + QByteArray::number(subcode);
    return body + ",\"fbtrace_id\":\"AbCdEfGhIjK\"}}";
}

} // namespace

class TestGraphError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data();
    void classify();
    void usageHeaders_data();
    void usageHeaders();
    void networkFailure();
    void historyTextCarriesTrace();
    void staffMessagesNamePageAndAction();
};

void TestGraphError::classify_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<QString>("codeText");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: none
    QTest::addColumn<QString>("staffContains");

    const Headers none;
    QTest::newRow("1 unknown error") << 500 << graphBody(1, 0, "An unknown error occurred") << none
                                     << true << "1" << qint64(-1) << "temporary problem";
    QTest::newRow("2 service") << 500 << graphBody(2) << none << true << "2" << qint64(-1)
                               << "retry automatically";
    QTest::newRow("2 under HTTP 400") << 400 << graphBody(2) << none << true << "2" << qint64(-1)
                                      << "retry automatically";
    QTest::newRow("4 app limit") << 403 << graphBody(4, 0, "(#4) Application request limit reached")
                                 << none << true << "4" << qint64(-1) << "rate-limiting";
    QTest::newRow("17 user limit") << 400 << graphBody(17) << none << true << "17" << qint64(-1)
                                   << "rate-limiting";
    QTest::newRow("32 page limit") << 400 << graphBody(32) << none << true << "32" << qint64(-1)
                                   << "rate-limiting";
    QTest::newRow("341 app limit") << 400 << graphBody(341) << none << true << "341" << qint64(-1)
                                   << "temporarily limited";
    QTest::newRow("613 call rate") << 400 << graphBody(613) << none << true << "613" << qint64(-1)
                                   << "rate-limiting";
    QTest::newRow("80000") << 400 << graphBody(80000) << none << true << "80000" << qint64(-1)
                           << "rate-limiting";
    QTest::newRow("80005 with usage header")
        << 400 << graphBody(80005, 0, "(#80005) There have been too many leadgen api calls")
        << Headers{{"X-Business-Use-Case-Usage",
                    "{\"104857600012345\":[{\"type\":\"leadgen\",\"call_count\":100,\"total_cputime\":"
                    "12,\"total_time\":20,\"estimated_time_to_regain_access\":7},{\"type\":\"pages\","
                    "\"call_count\":40,\"total_cputime\":5,\"total_time\":5,"
                    "\"estimated_time_to_regain_access\":3}]}"}}
        << true << "80005" << qint64(7 * 60000) << "in about 7 minutes";
    QTest::newRow("80014") << 400 << graphBody(80014) << none << true << "80014" << qint64(-1)
                           << "rate-limiting";
    QTest::newRow("100/33 no lead access")
        << 400
        << graphBody(100, 33,
                     "Unsupported get request. Object with ID '1234567890123456789' does not exist, "
                     "cannot be loaded due to missing permissions, or does not support this operation.",
                     "GraphMethodException")
        << none << false << "100/33" << qint64(-1) << "leads_retrieval";
    QTest::newRow("100 invalid parameter") << 400 << graphBody(100, 0, "(#100) Invalid parameter")
                                           << none << false << "100" << qint64(-1) << "Invalid parameter";
    QTest::newRow("190/463 expired")
        << 400 << graphBody(190, 463, "Error validating access token: Session has expired on Tuesday")
        << none << false << "190/463" << qint64(-1) << "has expired (Meta error 190/463). Renew it in Pages";
    QTest::newRow("190/467 invalid") << 400 << graphBody(190, 467) << none << false << "190/467"
                                     << qint64(-1) << "is not valid";
    QTest::newRow("190 under HTTP 500") << 500 << graphBody(190, 460) << none << false << "190/460"
                                        << qint64(-1) << "password";
    QTest::newRow("10 permission") << 403 << graphBody(10) << none << false << "10" << qint64(-1)
                                   << "lacks a permission";
    QTest::newRow("200 permission") << 403 << graphBody(200) << none << false << "200" << qint64(-1)
                                    << "lacks a permission";
    QTest::newRow("299 permission") << 403 << graphBody(299) << none << false << "299" << qint64(-1)
                                    << "lacks a permission";
    QTest::newRow("unknown code 9999") << 400 << graphBody(9999, 0, "(#9999) Something new") << none
                                       << false << "9999" << qint64(-1) << "Something new";
    QTest::newRow("unknown code under HTTP 503") << 503 << graphBody(9999) << none << false << "9999"
                                                 << qint64(-1) << "Meta error 9999";
    QTest::newRow("HTTP 500 empty body") << 500 << QByteArray() << none << true << "" << qint64(-1)
                                         << "HTTP 500";
    QTest::newRow("HTTP 502 HTML body")
        << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>") << none << true
        << "" << qint64(-1) << "HTTP 502";
    QTest::newRow("HTTP 503 Retry-After") << 503 << QByteArray("Service Unavailable")
                                          << Headers{{"retry-after", "30"}} << true << ""
                                          << qint64(30000) << "in about 30 seconds";
    QTest::newRow("malformed JSON under 400") << 400 << QByteArray("{\"error\":{\"code\":19") << none
                                              << false << "" << qint64(-1) << "HTTP 400";
    QTest::newRow("HTTP 404 without Graph error") << 404 << QByteArray("Not Found") << none << false
                                                  << "" << qint64(-1) << "Graph API address";
    QTest::newRow("malformed JSON under 200") << 200 << QByteArray("{\"id\":\"1\",\"field_da") << none
                                              << true << "" << qint64(-1) << "unreadable answer";
    QTest::newRow("code as digit string") << 400 << QByteArray("{\"error\":{\"code\":\"613\"}}") << none
                                          << true << "613" << qint64(-1) << "rate-limiting";
}

void TestGraphError::classify()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(Headers, headers);
    QFETCH(bool, transient);
    QFETCH(QString, codeText);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, staffContains);

    const GraphError e = GraphError::classify(status, body, headers);
    QCOMPARE(e.isTransient(), transient);
    QCOMPARE(e.kind, transient ? GraphError::Kind::Transient : GraphError::Kind::Permanent);
    QCOMPARE(e.httpStatus, status);
    QCOMPARE(e.codeText(), codeText);
    QCOMPARE(e.network, false);
    QCOMPARE(e.timedOut, false);
    QCOMPARE(e.retryAfterMs.value_or(-1), retryAfterMs);
    QVERIFY(!e.message.isEmpty());
    const QString staff = e.staffMessage(QStringLiteral("Acme Roofing"), QStringLiteral("1234567890123456789"));
    QVERIFY2(staff.contains(staffContains), qPrintable(staff));
    QVERIFY2(staff.contains(QLatin1String("Acme Roofing")), qPrintable(staff));
    QVERIFY2(staff.endsWith(QLatin1Char('.')), qPrintable(staff));
    if (!codeText.isEmpty())
        QVERIFY2(staff.contains(QStringLiteral("Meta error ") + codeText), qPrintable(staff));
    if (!transient && codeText.isEmpty())
        QVERIFY2(e.message.contains(QString::number(status)), qPrintable(e.message));
}

void TestGraphError::usageHeaders_data()
{
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<qint64>("retryAfterMs");

    QTest::newRow("none") << Headers{} << qint64(-1);
    QTest::newRow("business use case zero") << Headers{{"x-business-use-case-usage",
                                                        "{\"1\":[{\"type\":\"pages\",\"call_count\":"
                                                        "5,\"estimated_time_to_regain_access\":0}]}"}}
                                            << qint64(-1);
    QTest::newRow("max over several ids")
        << Headers{{"X-Business-Use-Case-Usage",
                    "{\"1\":[{\"estimated_time_to_regain_access\":2}],"
                    "\"2\":[{\"estimated_time_to_regain_access\":9},{\"estimated_time_to_regain_access\":1}]}"}}
        << qint64(9 * 60000);
    QTest::newRow("ad account reset seconds")
        << Headers{{"X-Ad-Account-Usage", "{\"acc_id_util_pct\":99.5,\"reset_time_duration\":120}"}}
        << qint64(120000);
    QTest::newRow("app usage") << Headers{{"X-App-Usage", "{\"call_count\":100,\"total_time\":40,"
                                                          "\"estimated_time_to_regain_access\":4}"}}
                               << qint64(4 * 60000);
    QTest::newRow("largest of all headers")
        << Headers{{"Retry-After", "600"},
                   {"X-Business-Use-Case-Usage", "{\"1\":[{\"estimated_time_to_regain_access\":3}]}"}}
        << qint64(600000);
    QTest::newRow("garbage ignored") << Headers{{"X-Business-Use-Case-Usage", "{not json"},
                                                {"Retry-After", "soon"}}
                                     << qint64(-1);
}

void TestGraphError::usageHeaders()
{
    QFETCH(Headers, headers);
    QFETCH(qint64, retryAfterMs);
    QCOMPARE(GraphError::retryAfterFromHeaders(headers).value_or(-1), retryAfterMs);
    QCOMPARE(GraphError::classify(400, "{\"error\":{\"code\":80001}}", headers).retryAfterMs.value_or(-1),
             retryAfterMs);
}

void TestGraphError::networkFailure()
{
    const GraphError timeout = GraphError::networkFailure(QStringLiteral("no answer within 20 s"), true);
    QVERIFY(timeout.isTransient());
    QVERIFY(timeout.network);
    QVERIFY(timeout.timedOut);
    QCOMPARE(timeout.codeText(), QString());
    QVERIFY(timeout.staffMessage(QStringLiteral("Acme"), QString()).contains(QLatin1String("did not answer in time")));
    QVERIFY(timeout.historyText().contains(QLatin1String("timeout")));

    const GraphError refused = GraphError::networkFailure(QStringLiteral("connection refused by graph.facebook.com"), false);
    QVERIFY(refused.isTransient());
    QVERIFY(!refused.timedOut);
    const QString staff = refused.staffMessage(QStringLiteral("Acme"), QString());
    QVERIFY2(staff.contains(QLatin1String("connection refused by graph.facebook.com")), qPrintable(staff));
    QVERIFY2(staff.contains(QLatin1String("retry automatically")), qPrintable(staff));
}

void TestGraphError::historyTextCarriesTrace()
{
    const GraphError e = GraphError::classify(
        400, graphBody(190, 463, "Error validating access token: Session has expired"),
        {{"Retry-After", "60"}});
    QCOMPARE(e.fbtraceId, QStringLiteral("AbCdEfGhIjK"));
    QCOMPARE(e.type, QStringLiteral("OAuthException"));
    const QString history = e.historyText();
    QVERIFY2(history.contains(QLatin1String("fbtrace_id AbCdEfGhIjK")), qPrintable(history));
    QVERIFY2(history.contains(QLatin1String("190/463")), qPrintable(history));
    QVERIFY2(history.contains(QLatin1String("OAuthException")), qPrintable(history));
    QVERIFY2(history.contains(QLatin1String("HTTP 400")), qPrintable(history));
    QVERIFY2(history.contains(QLatin1String("permanent")), qPrintable(history));
    QVERIFY2(history.contains(QLatin1String("Session has expired")), qPrintable(history));
}

void TestGraphError::staffMessagesNamePageAndAction()
{
    // Every token subcode gets its own sentence; all of them send staff to Pages.
    QSet<QString> sentences;
    for (int sub : {0, 458, 459, 460, 463, 464, 467, 492}) {
        const GraphError e = GraphError::classify(400, graphBody(190, sub), {});
        const QString s = e.staffMessage(QStringLiteral("Acme Roofing"), QStringLiteral("42"));
        QVERIFY2(s.contains(QLatin1String("page Acme Roofing")), qPrintable(s));
        QVERIFY2(s.contains(QLatin1String("in Pages")), qPrintable(s));
        QVERIFY2(s.contains(QLatin1String("reprocess")), qPrintable(s));
        sentences.insert(s.section(QLatin1Char('('), 0, 0));
    }
    QCOMPARE(sentences.size(), 8);
    QCOMPARE(GraphError::classify(400, graphBody(190, 463), {}).staffMessage(QStringLiteral("Acme Roofing"), {}),
             QStringLiteral("The access token of page Acme Roofing has expired (Meta error 190/463). "
                            "Renew it in Pages, then reprocess."));
    // No page name: still a sentence.
    const QString anonymous = GraphError::classify(400, graphBody(32), {}).staffMessage({}, {});
    QVERIFY2(anonymous.startsWith(QLatin1String("Meta is rate-limiting this page (Meta error 32)")),
             qPrintable(anonymous));
}

QTEST_GUILESS_MAIN(TestGraphError)
#include "tst_graph_error.moc"
