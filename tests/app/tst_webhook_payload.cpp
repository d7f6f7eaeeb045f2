// WebhookPayload: which bodies Meta may send are turned into which leads, and which are refused
// with which message; and meta_ids, which reads the ids and times in them.

#include "webhook_bodies.h"

#include "ingest/webhook_payload.h"
#include "meta/meta_ids.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

QByteArray leadgenBody(const QByteArray &value, const QByteArray &entryId = "\"1029384756473829\"")
{
    return R"({"object":"page","entry":[{"id":)" + entryId
           + R"(,"time":1763800001,"changes":[{"field":"leadgen","value":)" + value + "}]}]}";
}

} // namespace

class TestWebhookPayload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("leadgenIds");
        QTest::addColumn<QString>("pageId"); ///< of the first lead
        QTest::addColumn<QString>("adId");   ///< of the first lead
        QTest::addColumn<qint64>("createdAtMs"); ///< of the first lead, -1 = none

        QTest::newRow("Meta's body, ids as strings")
            << singleLeadBody(QStringLiteral("444444444444444")) << QStringList{"444444444444444"}
            << QStringLiteral("1029384756473829") << QStringLiteral("6120000000000000001")
            << qint64(1763800000000);
        QTest::newRow("Meta's body, ids as numbers")
            << singleLeadBody(QStringLiteral("444444444444444"), true)
            << QStringList{"444444444444444"} << QStringLiteral("1029384756473829")
            << QStringLiteral("6120000000000000001") << qint64(1763800000000);

        LeadgenChange a;
        a.leadgenId = QStringLiteral("1");
        LeadgenChange b;
        b.leadgenId = QStringLiteral("2");
        b.idsAsNumbers = true;
        LeadgenChange c;
        c.leadgenId = QStringLiteral("3");
        c.adId.clear();
        c.adgroupId.clear();
        QTest::newRow("two entries, three changes")
            << webhookBody({WebhookEntry{QStringLiteral("11"), {a, b}}, WebhookEntry{QStringLiteral("22"), {c}}})
            << QStringList{"1", "2", "3"} << QStringLiteral("1029384756473829")
            << QStringLiteral("6120000000000000001") << qint64(1763800000000);

        QTest::newRow("other fields and entries without changes are skipped")
            << QByteArray(R"({"object":"page","entry":[
                 {"id":"5","time":1,"messaging":[{"message":{"text":"hi"}}]},
                 {"id":"6","time":1,"changes":[{"field":"feed","value":{"x":[1,2]}},
                   {"field":"leadgen","value":{"leadgen_id":"77","page_id":"6"}},
                   {"field":"feed","value":"not even an object"}]}]})")
            << QStringList{"77"} << QStringLiteral("6") << QString() << qint64(-1);
        QTest::newRow("page id from the entry")
            << leadgenBody(R"({"leadgen_id":"8"})", "\"99\"") << QStringList{"8"}
            << QStringLiteral("99") << QString() << qint64(-1);
        QTest::newRow("entry id as a number") << leadgenBody(R"({"leadgen_id":"8"})", "9223372036854775807")
                                              << QStringList{"8"}
                                              << QStringLiteral("9223372036854775807") << QString()
                                              << qint64(-1);
        QTest::newRow("null ids are absent")
            << leadgenBody(R"({"leadgen_id":"8","ad_id":null,"adgroup_id":null,"form_id":null})")
            << QStringList{"8"} << QStringLiteral("1029384756473829") << QString() << qint64(-1);
        QTest::newRow("unknown value fields are kept out of the way")
            << leadgenBody(R"({"leadgen_id":"8","ad_id":"5","extra":{"nested":[1,{"a":null}]}})")
            << QStringList{"8"} << QStringLiteral("1029384756473829") << QStringLiteral("5")
            << qint64(-1);
        QTest::newRow("64-bit unsigned maximum")
            << leadgenBody(R"({"leadgen_id":18446744073709551615,"ad_id":18446744073709551615})")
            << QStringList{"18446744073709551615"} << QStringLiteral("1029384756473829")
            << QStringLiteral("18446744073709551615") << qint64(-1);
        QTest::newRow("ids with blanks around")
            << leadgenBody(R"({"leadgen_id":" 12 ","page_id":"34 "})") << QStringList{"12"}
            << QStringLiteral("34") << QString() << qint64(-1);
        QTest::newRow("created_time as ISO 8601")
            << leadgenBody(R"({"leadgen_id":"8","created_time":"2025-11-22T08:26:40+0000"})")
            << QStringList{"8"} << QStringLiteral("1029384756473829") << QString()
            << qint64(1763800000000);
        QTest::newRow("created_time as a digit string")
            << leadgenBody(R"({"leadgen_id":"8","created_time":"1763800000"})") << QStringList{"8"}
            << QStringLiteral("1029384756473829") << QString() << qint64(1763800000000);
        QTest::newRow("unreadable created_time keeps the lead")
            << leadgenBody(R"({"leadgen_id":"8","created_time":"yesterday"})") << QStringList{"8"}
            << QStringLiteral("1029384756473829") << QString() << qint64(-1);
        QTest::newRow("absurd created_time keeps the lead")
            << leadgenBody(R"({"leadgen_id":"8","created_time":99999999999999999999})")
            << QStringList{"8"} << QStringLiteral("1029384756473829") << QString() << qint64(-1);
        QTest::newRow("byte order mark and blanks")
            << "\xef\xbb\xbf \n" + singleLeadBody(QStringLiteral("5")) + "\n"
            << QStringList{"5"} << QStringLiteral("1029384756473829")
            << QStringLiteral("6120000000000000001") << qint64(1763800000000);
    }

    void accepted()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, leadgenIds);
        QFETCH(QString, pageId);
        QFETCH(QString, adId);
        QFETCH(qint64, createdAtMs);

        const WebhookPayload::Result r = WebhookPayload::parse(body);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QStringList ids;
        for (const IncomingLead &lead : r.leads) {
            ids << lead.leadgenId;
            QCOMPARE(lead.source, LeadSource::Webhook);
            QVERIFY(!lead.rawPayload.isEmpty());
            QVERIFY(lead.leadPayload.isNull());
        }
        QCOMPARE(ids, leadgenIds);
        QCOMPARE(r.leads.first().pageId, pageId);
        QCOMPARE(r.leads.first().adId, adId);
        QCOMPARE(r.leads.first().createdAtMs.value_or(-1), createdAtMs);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");

        QTest::newRow("empty") << QByteArray() << QStringLiteral("The body is not valid JSON (at byte 1");
        QTest::newRow("truncated") << singleLeadBody(QStringLiteral("1")).chopped(3)
                                   << QStringLiteral("not valid JSON");
        QTest::newRow("trailing garbage") << singleLeadBody(QStringLiteral("1")) + "x"
                                          << QStringLiteral("not valid JSON");
        QTest::newRow("invalid UTF-8")
            << leadgenBody("{\"leadgen_id\":\"1\",\"x\":\"\xff\xfe\"}") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("must be a JSON object");
        QTest::newRow("string") << QByteArray("\"page\"") << QStringLiteral("must be a JSON object");
        QTest::newRow("no object") << QByteArray(R"({"entry":[]})")
                                   << QStringLiteral("no \"object\" field");
        QTest::newRow("object not a string") << QByteArray(R"({"object":1,"entry":[]})")
                                             << QStringLiteral("\"object\" is not a string");
        QTest::newRow("object user") << QByteArray(R"({"object":"user","entry":[]})")
                                     << QStringLiteral("\"object\" is \"user\"; Leadkeeper accepts only");
        QTest::newRow("object instagram") << QByteArray(R"({"object":"instagram","entry":[]})")
                                          << QStringLiteral("\"object\" is \"instagram\"");
        QTest::newRow("no entry") << QByteArray(R"({"object":"page"})")
                                  << QStringLiteral("no \"entry\" array");
        QTest::newRow("entry an object") << QByteArray(R"({"object":"page","entry":{}})")
                                         << QStringLiteral("no \"entry\" array");
        QTest::newRow("entry element not an object")
            << QByteArray(R"({"object":"page","entry":[1]})") << QStringLiteral("entry[0] is not an object");
        QTest::newRow("bad entry id") << leadgenBody(R"({"leadgen_id":"1"})", "\"abc\"")
                                      << QStringLiteral("entry[0]: id \"abc\" is not a Meta id");
        QTest::newRow("change not an object")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","changes":["leadgen"]}]})")
            << QStringLiteral("entry[0].changes[0] is not an object");
        QTest::newRow("no leadgen change")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{}}]}]})")
            << QStringLiteral("no leadgen change");
        QTest::newRow("no entries") << QByteArray(R"({"object":"page","entry":[]})")
                                    << QStringLiteral("no leadgen change");
        QTest::newRow("leadgen without value")
            << QByteArray(R"({"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen"}]}]})")
            << QStringLiteral("entry[0].changes[0] is a leadgen change without a \"value\" object");
        QTest::newRow("leadgen value not an object") << leadgenBody("\"1\"")
                                                     << QStringLiteral("without a \"value\" object");
        QTest::newRow("missing leadgen_id") << leadgenBody(R"({"page_id":"1"})")
                                            << QStringLiteral("without a leadgen_id");
        QTest::newRow("empty leadgen_id") << leadgenBody(R"({"leadgen_id":""})")
                                          << QStringLiteral("without a leadgen_id");
        QTest::newRow("float leadgen_id") << leadgenBody(R"({"leadgen_id":1.5e18})")
                                          << QStringLiteral("entry[0].changes[0]: leadgen_id 1.5e+18 is not a Meta id");
        QTest::newRow("leadgen_id with a fraction") << leadgenBody(R"({"leadgen_id":12.0})")
                                                    << QStringLiteral("cannot be kept exactly");
        QTest::newRow("leadgen_id beyond 64 bits")
            << leadgenBody(R"({"leadgen_id":18446744073709551616})")
            << QStringLiteral("cannot be kept exactly");
        QTest::newRow("negative leadgen_id") << leadgenBody(R"({"leadgen_id":-1})")
                                             << QStringLiteral("leadgen_id -1 is not a Meta id (it is negative)");
        QTest::newRow("leadgen_id with letters") << leadgenBody(R"({"leadgen_id":"12a"})")
                                                 << QStringLiteral("leadgen_id \"12a\" is not a Meta id");
        QTest::newRow("leadgen_id true") << leadgenBody(R"({"leadgen_id":true})")
                                         << QStringLiteral("leadgen_id true is not a Meta id");
        QTest::newRow("leadgen_id object") << leadgenBody(R"({"leadgen_id":{"id":"1"}})")
                                           << QStringLiteral("leadgen_id {\"id\":\"1\"} is not a Meta id");
        QTest::newRow("bad page_id") << leadgenBody(R"({"leadgen_id":"1","page_id":"p-1"})")
                                     << QStringLiteral("page_id \"p-1\" is not a Meta id");
        QTest::newRow("bad form_id") << leadgenBody(R"({"leadgen_id":"1","form_id":1e3})")
                                     << QStringLiteral("form_id");
        QTest::newRow("bad ad_id") << leadgenBody(R"({"leadgen_id":"1","ad_id":[1]})")
                                   << QStringLiteral("ad_id [1] is not a Meta id");
        QTest::newRow("bad adgroup_id") << leadgenBody(R"({"leadgen_id":"1","adgroup_id":"1 2"})")
                                        << QStringLiteral("adgroup_id");
        QTest::newRow("first bad id is named")
            << leadgenBody(R"({"leadgen_id":"x","page_id":"y"})") << QStringLiteral("leadgen_id \"x\"");

        LeadgenChange good;
        good.leadgenId = QStringLiteral("1");
        LeadgenChange bad;
        bad.leadgenId = QStringLiteral("1.5");
        bad.idsAsNumbers = true;
        QTest::newRow("one bad change refuses the whole body")
            << webhookBody({WebhookEntry{QStringLiteral("1"), {good, good}},
                            WebhookEntry{QStringLiteral("1"), {good, bad}}})
            << QStringLiteral("entry[1].changes[1]: leadgen_id 1.5");
        QTest::newRow("deeply nested") << leadgenBody(R"({"leadgen_id":"1","x":)" + QByteArray(100000, '[')
                                                      + QByteArray(100000, ']') + "}")
                                       << QStringLiteral("more than 32 levels deep");
        // (Plain literals: moc 6.4 loses its way in a raw string holding a backslash.)
        QTest::newRow("brackets inside strings do not count")
            << leadgenBody("{\"leadgen_id\":\"1\",\"x\":\"" + QByteArray(100, '[') + "\\\"}\", \"y\":-")
            << QStringLiteral("not valid JSON");
    }

    void refused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const WebhookPayload::Result r = WebhookPayload::parse(body);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(message), qPrintable(r.error));
        QVERIFY2(r.leads.isEmpty(), "a refused body carries no lead");
        QVERIFY(r.error.endsWith(QLatin1Char('.')));
    }

    void rawPayloadIsTheChangeAsItArrived()
    {
        const QByteArray body =
            R"({"object":"page","entry":[{"id":"1029384756473829","time":1763800001,"changes":[)"
            R"({"value":{"leadgen_id":1234567890123456789,"page_id":"1029384756473829","form_id":"7",)"
            R"("created_time":1763800000,"zeta":"é"},"field":"leadgen"}]}]})";
        const WebhookPayload::Result r = WebhookPayload::parse(body);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.leads.size(), 1);
        // Same keys in the same order (value before field, zeta last), digits untouched.
        QCOMPARE(QString::fromUtf8(r.leads.first().rawPayload),
                 QString::fromUtf8(
                     R"({"entry":{"id":"1029384756473829","time":1763800001},"change":{"value":)"
                     R"({"leadgen_id":1234567890123456789,"page_id":"1029384756473829","form_id":"7",)"
                     R"("created_time":1763800000,"zeta":"é"},"field":"leadgen"}})"));
    }

    void leadsKeepTheirOwnFields()
    {
        LeadgenChange first;
        first.leadgenId = QStringLiteral("101");
        first.pageId = QStringLiteral("201");
        first.formId = QStringLiteral("301");
        first.adId = QStringLiteral("401");
        first.adgroupId = QStringLiteral("501");
        first.createdTime = 1700000000;
        LeadgenChange second;
        second.leadgenId = QStringLiteral("102");
        second.pageId = QStringLiteral("202");
        second.formId = QStringLiteral("302");
        second.adId.clear();
        second.adgroupId.clear();
        second.createdTime = 1700000001;
        second.idsAsNumbers = true;
        const WebhookPayload::Result r = WebhookPayload::parse(
            webhookBody({WebhookEntry{QStringLiteral("201"), {first}},
                         WebhookEntry{QStringLiteral("202"), {second}}}));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.leads.size(), 2);
        const IncomingLead &a = r.leads.at(0);
        const IncomingLead &b = r.leads.at(1);
        QCOMPARE(a.leadgenId, QStringLiteral("101"));
        QCOMPARE(a.pageId, QStringLiteral("201"));
        QCOMPARE(a.formId, QStringLiteral("301"));
        QCOMPARE(a.adId, QStringLiteral("401"));
        QCOMPARE(a.adgroupId, QStringLiteral("501"));
        QCOMPARE(a.createdAtMs, std::optional<qint64>(1700000000000));
        QCOMPARE(b.leadgenId, QStringLiteral("102"));
        QCOMPARE(b.pageId, QStringLiteral("202"));
        QCOMPARE(b.formId, QStringLiteral("302"));
        QVERIFY(b.adId.isEmpty());
        QVERIFY(b.adgroupId.isEmpty());
        QCOMPARE(b.createdAtMs, std::optional<qint64>(1700000001000));
        QVERIFY(a.rawPayload.contains("\"101\""));
        QVERIFY(!a.rawPayload.contains("102"));
        QVERIFY(b.rawPayload.contains("102"));
    }

    void exactId_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expected"); ///< the id, or a part of the error

        QTest::newRow("absent") << QByteArray() << true << QString();
        QTest::newRow("null") << QByteArray("null") << true << QString();
        QTest::newRow("zero") << QByteArray("0") << true << QStringLiteral("0");
        QTest::newRow("15 digits") << QByteArray("444444444444444") << true
                                   << QStringLiteral("444444444444444");
        QTest::newRow("2^53 + 1, a double would round it") << QByteArray("9007199254740993") << true
                                                           << QStringLiteral("9007199254740993");
        QTest::newRow("19 digits") << QByteArray("1234567890123456789") << true
                                   << QStringLiteral("1234567890123456789");
        QTest::newRow("int64 max") << QByteArray("9223372036854775807") << true
                                   << QStringLiteral("9223372036854775807");
        QTest::newRow("uint64 max") << QByteArray("18446744073709551615") << true
                                    << QStringLiteral("18446744073709551615");
        QTest::newRow("string") << QByteArray("\"1234567890123456789\"") << true
                                << QStringLiteral("1234567890123456789");
        QTest::newRow("string beyond 64 bits") << QByteArray("\"123456789012345678901234\"") << true
                                               << QStringLiteral("123456789012345678901234");
        QTest::newRow("string with leading zero") << QByteArray("\"007\"") << true
                                                  << QStringLiteral("007");
        QTest::newRow("empty string") << QByteArray("\"\"") << true << QString();
        QTest::newRow("uint64 max + 1") << QByteArray("18446744073709551616") << false
                                        << QStringLiteral("cannot be kept exactly");
        QTest::newRow("1.5e18") << QByteArray("1.5e18") << false
                                << QStringLiteral("leadgen_id 1.5e+18 is not a Meta id");
        QTest::newRow("1e3") << QByteArray("1e3") << false << QStringLiteral("cannot be kept exactly");
        QTest::newRow("negative") << QByteArray("-12") << false << QStringLiteral("negative");
        QTest::newRow("negative zero float") << QByteArray("-0.0") << false
                                             << QStringLiteral("cannot be kept exactly");
        QTest::newRow("string with sign") << QByteArray("\"+12\"") << false
                                          << QStringLiteral("\"+12\" is not a Meta id");
        QTest::newRow("string with a dot") << QByteArray("\"12.0\"") << false
                                           << QStringLiteral("not a Meta id");
        QTest::newRow("string, 33 digits") << "\"" + QByteArray(33, '1') + "\"" << false
                                           << QStringLiteral("not a Meta id");
        QTest::newRow("arabic-indic digits") << QByteArray("\"\xd9\xa1\xd9\xa2\"") << false
                                             << QStringLiteral("not a Meta id");
        QTest::newRow("boolean") << QByteArray("false") << false << QStringLiteral("false is not");
        QTest::newRow("array") << QByteArray("[\"1\"]") << false << QStringLiteral("not a Meta id");
        QTest::newRow("long value is shortened") << "\"" + QByteArray(200, 'x') + "\"" << false
                                                 << QStringLiteral("xxx...");
    }

    void exactId()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QFETCH(QString, expected);
        const nlohmann::json plain = json.isEmpty() ? nlohmann::json() : nlohmann::json::parse(json.toStdString());
        const nlohmann::ordered_json ordered =
            json.isEmpty() ? nlohmann::ordered_json() : nlohmann::ordered_json::parse(json.toStdString());
        QString error;
        const auto a = meta_ids::exactId(json.isEmpty() ? nullptr : &plain, "leadgen_id", &error);
        QCOMPARE(bool(a), ok);
        if (ok) {
            QCOMPARE(*a, expected);
            QVERIFY(error.isEmpty());
        } else {
            QVERIFY2(error.contains(expected), qPrintable(error));
            QVERIFY(error.size() < 300);
        }
        QString orderedError;
        const auto b = meta_ids::exactId(json.isEmpty() ? nullptr : &ordered, "leadgen_id", &orderedError);
        QCOMPARE(b, a);
        QCOMPARE(orderedError, error);
    }

    void timeToMs_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("ms"); ///< -1 = none

        QTest::newRow("null") << QByteArray("null") << qint64(-1);
        QTest::newRow("seconds") << QByteArray("1763800000") << qint64(1763800000000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("digit string") << QByteArray("\"1763800000\"") << qint64(1763800000000);
        QTest::newRow("fractional seconds") << QByteArray("1763800000.25") << qint64(1763800000250);
        QTest::newRow("Meta ISO") << QByteArray("\"2025-11-22T08:26:40+0000\"") << qint64(1763800000000);
        QTest::newRow("ISO with colon") << QByteArray("\"2025-11-22T08:26:40+00:00\"")
                                        << qint64(1763800000000);
        QTest::newRow("ISO Z") << QByteArray("\"2025-11-22T08:26:40Z\"") << qint64(1763800000000);
        QTest::newRow("ISO other zone") << QByteArray("\"2025-11-22T10:26:40+0200\"")
                                        << qint64(1763800000000);
        QTest::newRow("ISO negative zone") << QByteArray("\"2025-11-22T03:26:40-0500\"")
                                           << qint64(1763800000000);
        QTest::newRow("ISO without zone is UTC") << QByteArray("\"2025-11-22T08:26:40\"")
                                                 << qint64(1763800000000);
        QTest::newRow("ISO with milliseconds") << QByteArray("\"2025-11-22T08:26:40.500Z\"")
                                               << qint64(1763800000500);
        QTest::newRow("garbage string") << QByteArray("\"soon\"") << qint64(-1);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("after year 9999") << QByteArray("253402300800") << qint64(-1);
        QTest::newRow("would overflow") << QByteArray("9223372036854775807") << qint64(-1);
        QTest::newRow("uint64 max") << QByteArray("18446744073709551615") << qint64(-1);
        QTest::newRow("huge float") << QByteArray("1e300") << qint64(-1);
        QTest::newRow("huge digit string") << QByteArray("\"9223372036854775807\"") << qint64(-1);
        QTest::newRow("boolean") << QByteArray("true") << qint64(-1);
        QTest::newRow("object") << QByteArray("{}") << qint64(-1);
    }

    void timeToMs()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, ms);
        const nlohmann::json plain = nlohmann::json::parse(json.toStdString());
        const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(json.toStdString());
        QCOMPARE(meta_ids::timeToMs(&plain).value_or(-1), ms);
        QCOMPARE(meta_ids::timeToMs(&ordered).value_or(-1), ms);
        QCOMPARE(meta_ids::timeToMs(static_cast<const nlohmann::json *>(nullptr)), std::nullopt);
    }

    void aThousandChanges()
    {
        QList<LeadgenChange> changes;
        for (int i = 0; i < 1000; ++i) {
            LeadgenChange c;
            c.leadgenId = QString::number(900000000000000LL + i);
            changes << c;
        }
        const WebhookPayload::Result r = WebhookPayload::parse(
            webhookBody({WebhookEntry{QStringLiteral("1029384756473829"), changes}}));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.leads.size(), 1000);
        QCOMPARE(r.leads.last().leadgenId, QStringLiteral("900000000000999"));
    }
};

QTEST_GUILESS_MAIN(TestWebhookPayload)
#include "tst_webhook_payload.moc"
