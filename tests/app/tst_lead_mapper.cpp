#include "processing/lead_field.h"
#include "processing/lead_mapper.h"

#include <QtTest>

using namespace leadkeeper;

namespace {

const QString kRegion = QStringLiteral("DE");

// A form as an admin maps it: every kind of row the desk offers.
FormMapping standardMapping()
{
    FormMapping m;
    m.id = 7;
    m.pageConfigId = 3;
    m.formId = QStringLiteral("987654321098765");
    m.formName = QStringLiteral("Roof check (mapping)");
    m.rows = {
        {QStringLiteral("full_name"), QStringLiteral("customer_name"), {}, QStringLiteral("trim|capitalize"), false},
        {QStringLiteral("email"), QStringLiteral("email"), {}, QStringLiteral("lower"), false},
        {QStringLiteral("phone_number"), QStringLiteral("phone"), {}, {}, true},
        {QStringLiteral("city"), QStringLiteral("city"), {}, QStringLiteral("trim"), false},
        {QStringLiteral("zip_code"), QStringLiteral("zip_code"), {}, {}, false},
        {QStringLiteral("country"), QStringLiteral("country"), QStringLiteral("de"), QStringLiteral("upper"), false},
        {QStringLiteral("budget"), QStringLiteral("custom:budget"), QStringLiteral("unknown"), {}, false},
    };
    return m;
}

const QByteArray kGoodAnswers = R"([
    {"name":"full_name","values":["  ada LOVELACE "]},
    {"name":"email","values":["Ada@Example.COM"]},
    {"name":"phone_number","values":["0151 23456789"]},
    {"name":"city","values":["Berlin"]},
    {"name":"zip_code","values":["10115"]},
    {"name":"budget","values":["10k","20k"]}
])";

// A Graph lead as GET /{leadgen_id} returns it, with the given field_data. Ids mix JSON strings
// and 19-digit JSON numbers, as Meta and export converters do.
QByteArray adLead(const QByteArray &fieldData)
{
    return R"({"id":"1234567890123456789","created_time":"2024-05-01T10:00:00+0000",
        "ad_id":"1202112345678901234","ad_name":"Spring roofs",
        "adset_id":1202112345678901235,"adset_name":"Berlin 30-60",
        "campaign_id":"1202112345678901236","campaign_name":"Spring",
        "form_id":"987654321098765","is_organic":false,"platform":"fb",
        "field_data":)"
           + fieldData + "}";
}

QStringList errorKeys(const QList<FieldError> &errors)
{
    QStringList out;
    for (const FieldError &e : errors)
        out.append(e.field + QLatin1Char('/') + e.rule);
    return out;
}

QString describe(const QList<FieldError> &errors)
{
    return QString::fromUtf8(FieldError::toJson(errors));
}

} // namespace

// A Graph lead + a mapping + corrections → a clean Lead, or one precise error per failing field.
class TestLeadMapper : public QObject
{
    Q_OBJECT

private slots:
    void happyPathWithAttribution();
    void rules_data();
    void rules();
    void messagesAreSentences();
    void joinedAndDerivedNames();
    void organicLead();
    void instagramLead();
    void metaTestLead();
    void malformedPayloads_data();
    void malformedPayloads();
    void mappingProblemsSurfaceInMap();
    void validateMapping_data();
    void validateMapping();
    void jsonRoundTrips();
    void leadRecordFields();
    void leadFieldCatalogue_data();
    void leadFieldCatalogue();
};

void TestLeadMapper::happyPathWithAttribution()
{
    const LeadMapper::Result r = LeadMapper::map(adLead(kGoodAnswers), standardMapping(), {}, kRegion,
                                                 QStringLiteral("Roof check"));
    QVERIFY2(r.ok(), qPrintable(describe(r.errors)));
    const LeadRecord &lead = r.lead;
    QCOMPARE(lead.customerName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(lead.email, QStringLiteral("ada@example.com"));
    QCOMPARE(lead.phone, QStringLiteral("+4915123456789"));
    QCOMPARE(lead.city, QStringLiteral("Berlin"));
    QCOMPARE(lead.value(QStringLiteral("zip_code")), QStringLiteral("10115"));
    QCOMPARE(lead.value(QStringLiteral("country")), QStringLiteral("DE")); // default, transformed
    QCOMPARE(lead.custom.value(QStringLiteral("budget")), QStringLiteral("10k, 20k"));

    QCOMPARE(lead.adId, QStringLiteral("1202112345678901234"));
    QCOMPARE(lead.adsetId, QStringLiteral("1202112345678901235")); // a JSON number, still exact
    QCOMPARE(lead.campaignId, QStringLiteral("1202112345678901236"));
    QCOMPARE(lead.adName, QStringLiteral("Spring roofs"));
    QCOMPARE(lead.adsetName, QStringLiteral("Berlin 30-60"));
    QCOMPARE(lead.campaignName, QStringLiteral("Spring"));
    QCOMPARE(lead.formId, QStringLiteral("987654321098765"));
    QCOMPARE(lead.formName, QStringLiteral("Roof check"));
    QCOMPARE(lead.platform, QStringLiteral("facebook"));
    QVERIFY(!lead.organic);
    QCOMPARE(lead.createdAtMs.value_or(-1), QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch());

    QCOMPARE(lead.attributionJson(),
             QByteArray(R"({"ad_id":"1202112345678901234","ad_name":"Spring roofs","adset_id":"1202112345678901235",)"
                        R"("adset_name":"Berlin 30-60","campaign_id":"1202112345678901236","campaign_name":"Spring",)"
                        R"("form_id":"987654321098765","form_name":"Roof check","organic":false,"page_id":"",)"
                        R"("platform":"facebook"})"));
    QCOMPARE(lead.standardJson(), QByteArray(R"({"country":"DE","zip_code":"10115"})"));
    QCOMPARE(lead.customJson(), QByteArray(R"({"budget":"10k, 20k"})"));

    // Without a form name argument, the mapping's name is used.
    QCOMPARE(LeadMapper::map(adLead(kGoodAnswers), standardMapping(), {}, kRegion).lead.formName,
             QStringLiteral("Roof check (mapping)"));
}

void TestLeadMapper::rules_data()
{
    QTest::addColumn<QByteArray>("fieldData");
    QTest::addColumn<QByteArray>("corrections"); // Correction::toJson form
    QTest::addColumn<QStringList>("errors");     // field/rule, in row order
    QTest::addColumn<QString>("field");          // then this Lead field ...
    QTest::addColumn<QString>("value");          // ... holds this value

    const auto answers = [](const QByteArray &replace, const QByteArray &with) {
        QByteArray a = kGoodAnswers;
        Q_ASSERT(a.contains(replace));
        return a.replace(replace, with);
    };
    const QByteArray noCorrections = "[]";

    QTest::newRow("missing question uses the default")
        << answers(R"({"name":"budget","values":["10k","20k"]})", R"({"name":"other","values":["x"]})")
        << noCorrections << QStringList{} << "custom:budget" << "unknown";
    QTest::newRow("blank answer uses the default")
        << answers(R"({"name":"budget","values":["10k","20k"]})", R"({"name":"budget","values":["  "]})")
        << noCorrections << QStringList{} << "custom:budget" << "unknown";
    QTest::newRow("missing mandatory phone")
        << answers(R"({"name":"phone_number","values":["0151 23456789"]})", R"({"name":"x","values":[]})")
        << noCorrections << QStringList{"phone/mandatory"} << "phone" << "";
    QTest::newRow("mandatory phone with no values")
        << answers(R"(["0151 23456789"])", "[]") << noCorrections << QStringList{"phone/mandatory"} << "phone" << "";
    QTest::newRow("invalid phone") << answers("0151 23456789", "12345") << noCorrections
                                   << QStringList{"phone/phone"} << "phone" << "12345";
    QTest::newRow("phone is normalised without a transform")
        << answers("0151 23456789", "+49 (151) 234-56789") << noCorrections << QStringList{} << "phone"
        << "+4915123456789";
    QTest::newRow("bad e-mail, no domain dot") << answers("Ada@Example.COM", "ada@example") << noCorrections
                                               << QStringList{"email/email"} << "email" << "ada@example";
    QTest::newRow("bad e-mail, two @") << answers("Ada@Example.COM", "ada@@example.com") << noCorrections
                                       << QStringList{"email/email"} << "email" << "ada@@example.com";
    QTest::newRow("bad e-mail, space") << answers("Ada@Example.COM", "ada lovelace@example.com") << noCorrections
                                       << QStringList{"email/email"} << "email" << "ada lovelace@example.com";
    QTest::newRow("e-mail with surrounding spaces is fine")
        << answers("Ada@Example.COM", " ada@example.com ") << noCorrections << QStringList{} << "email"
        << "ada@example.com";
    QTest::newRow("international e-mail is fine") << answers("Ada@Example.COM", "jürgen@müller.de") << noCorrections
                                                  << QStringList{} << "email" << "jürgen@müller.de";
    QTest::newRow("markup in name") << answers("  ada LOVELACE ", "<b>Ada</b>") << noCorrections
                                    << QStringList{"customer_name/markup"} << "customer_name" << "<b>ada</b>";
    QTest::newRow("control character in name")
        << answers("  ada LOVELACE ", R"(Ada\u0007 Lovelace)") << noCorrections
        << QStringList{"customer_name/control"} << "customer_name" << QString::fromUtf8("Ada\x07 Lovelace");
    QTest::newRow("line break in city") << answers(R"("Berlin")", R"("Ber\nlin")") << noCorrections
                                        << QStringList{"city/control"} << "city" << "Ber\nlin";
    QTest::newRow("bidi override in name")
        << answers("  ada LOVELACE ", R"(Ada \u202Eecalevol)") << noCorrections
        << QStringList{"customer_name/control"} << "customer_name" << QString::fromUtf16(u"Ada \u202eecalevol");
    QTest::newRow("apostrophes and scripts are fine in names")
        << answers("  ada LOVELACE ", "Zoë O'Brien-Łukasz 李") << noCorrections << QStringList{} << "customer_name"
        << "Zoë O'brien-Łukasz 李";
    QTest::newRow("markup outside names is data")
        << answers(R"("10k","20k")", R"("<10k")") << noCorrections << QStringList{} << "custom:budget" << "<10k";
    QTest::newRow("one error per failing field, in row order")
        << answers("  ada LOVELACE ", "<i>Ada</i>").replace("Ada@Example.COM", "nope").replace("0151 23456789", "1")
        << noCorrections << QStringList{"customer_name/markup", "email/email", "phone/phone"} << "city" << "Berlin";

    QTest::newRow("question correction fixes a bad phone")
        << answers("0151 23456789", "12345")
        << QByteArray(R"([{"target":"question:phone_number","value":"030 12345678","author":"ana","at_ms":5}])")
        << QStringList{} << "phone" << "+493012345678";
    QTest::newRow("question correction supplies a missing answer")
        << answers(R"({"name":"city","values":["Berlin"]})", R"({"name":"x","values":[]})")
        << QByteArray(R"([{"target":"question:city","value":" Hamburg ","author":"ana","at_ms":5}])")
        << QStringList{} << "city" << "Hamburg"; // the row's trim still runs
    QTest::newRow("field correction replaces a name with markup")
        << answers("  ada LOVELACE ", "<b>Ada</b>")
        << QByteArray(R"([{"target":"field:customer_name","value":"Ada Lovelace","author":"ana","at_ms":5}])")
        << QStringList{} << "customer_name" << "Ada Lovelace";
    QTest::newRow("field correction is not transformed")
        << kGoodAnswers
        << QByteArray(R"([{"target":"field:customer_name","value":"ada de la Cruz","author":"ana","at_ms":5}])")
        << QStringList{} << "customer_name" << "ada de la Cruz";
    QTest::newRow("field correction of the phone is normalised")
        << answers("0151 23456789", "12345")
        << QByteArray(R"([{"target":"field:phone","value":"0151 23456789","author":"ana","at_ms":5}])")
        << QStringList{} << "phone" << "+4915123456789";
    QTest::newRow("field correction is still validated")
        << kGoodAnswers << QByteArray(R"([{"target":"field:phone","value":"999","author":"ana","at_ms":5}])")
        << QStringList{"phone/phone"} << "phone" << "999";
    QTest::newRow("field correction to nothing on a mandatory field")
        << kGoodAnswers << QByteArray(R"([{"target":"field:phone","value":"","author":"ana","at_ms":5}])")
        << QStringList{"phone/mandatory"} << "phone" << "";
    QTest::newRow("field correction fills an unmapped field")
        << kGoodAnswers << QByteArray(R"([{"target":"field:job_title","value":"CTO","author":"ana","at_ms":5}])")
        << QStringList{} << "job_title" << "CTO";
    QTest::newRow("field correction of an unmapped name is validated")
        << kGoodAnswers
        << QByteArray(R"([{"target":"field:company_name","value":"<Acme>","author":"ana","at_ms":5}])")
        << QStringList{"company_name/markup"} << "company_name" << "<Acme>";
    QTest::newRow("the latest correction wins, whatever the list order")
        << answers("0151 23456789", "12345")
        << QByteArray(R"([{"target":"field:phone","value":"030 12345678","author":"ana","at_ms":9},)"
                      R"({"target":"field:phone","value":"030 99999999","author":"bo","at_ms":3}])")
        << QStringList{} << "phone" << "+493012345678";
    QTest::newRow("field correction beats question correction")
        << kGoodAnswers
        << QByteArray(R"([{"target":"question:city","value":"Hamburg","author":"ana","at_ms":1},)"
                      R"({"target":"field:city","value":"Köln","author":"ana","at_ms":2}])")
        << QStringList{} << "city" << "Köln";
    QTest::newRow("correction with an unknown target")
        << kGoodAnswers << QByteArray(R"([{"target":"field:telephone","value":"1","author":"ana","at_ms":1}])")
        << QStringList{"field:telephone/correction"} << "phone" << "+4915123456789";
}

void TestLeadMapper::rules()
{
    QFETCH(QByteArray, fieldData);
    QFETCH(QByteArray, corrections);
    QFETCH(QStringList, errors);
    QFETCH(QString, field);
    QFETCH(QString, value);

    bool ok = false;
    const QList<Correction> overlay = Correction::fromJson(corrections, &ok);
    QVERIFY(ok);
    const LeadMapper::Result r = LeadMapper::map(adLead(fieldData), standardMapping(), overlay, kRegion);
    QVERIFY2(errorKeys(r.errors) == errors, qPrintable(describe(r.errors)));
    QCOMPARE(r.ok(), errors.isEmpty());
    QCOMPARE(r.lead.value(field), value);
    for (const FieldError &e : r.errors) {
        QVERIFY(!e.message.isEmpty());
        QVERIFY2(e.message.endsWith(QLatin1Char('.')), qPrintable(e.message));
    }
}

void TestLeadMapper::messagesAreSentences()
{
    QByteArray answers = kGoodAnswers;
    answers.replace("0151 23456789", "12345")
        .replace("Ada@Example.COM", "ada@example")
        .replace("  ada LOVELACE ", "<b>Ada</b>")
        .replace(R"("Berlin")", R"("Ber\tlin")");
    const LeadMapper::Result r = LeadMapper::map(adLead(answers), standardMapping(), {}, kRegion);
    QCOMPARE(r.errors.size(), 4);
    QCOMPARE(r.errors.at(0), (FieldError{"customer_name", "<b>ada</b>", "markup",
                                         "Customer name \"<b>ada</b>\" contains markup (< or >); names must be "
                                         "plain text."}));
    QCOMPARE(r.errors.at(1), (FieldError{"email", "ada@example", "email",
                                         "E-mail \"ada@example\" is not a valid e-mail address: the domain after "
                                         "the @ needs a dot, as in example.com."}));
    QCOMPARE(r.errors.at(2),
             (FieldError{"phone", "12345", "phone", "Phone \"12345\" is not a valid phone number for region DE."}));
    // The exact value travels in `value`; the sentence never carries the control character itself.
    QCOMPARE(r.errors.at(3), (FieldError{"city", "Ber\tlin", "control",
                                         QString::fromUtf16(u"City \"Ber\ufffdlin\" contains a control character (U+0009); "
                                                 u"names must be plain text.")}));

    FormMapping missing = standardMapping();
    const LeadMapper::Result m =
        LeadMapper::map(adLead(R"([{"name":"email","values":["ada@example.com"]}])"), missing, {}, kRegion);
    QCOMPARE(m.errors.size(), 1);
    QCOMPARE(m.errors.at(0).message, QStringLiteral("Phone is mandatory, but question \"phone_number\" has no answer."));
}

void TestLeadMapper::joinedAndDerivedNames()
{
    const QByteArray answers = R"([{"name":"first_name","values":[" ada"]},{"name":"last_name","values":["LOVELACE "]},
                                   {"name":"phone_number","values":["+44 20 7946 0958"]}])";
    FormMapping joined;
    joined.rows = {
        {QStringLiteral("first_name+last_name"), QStringLiteral("customer_name"), {},
         QStringLiteral("trim|capitalize|join: "), true},
        {QStringLiteral("phone_number"), QStringLiteral("phone"), {}, QStringLiteral("phone"), true},
    };
    LeadMapper::Result r = LeadMapper::map(adLead(answers), joined, {}, kRegion);
    QVERIFY2(r.ok(), qPrintable(describe(r.errors)));
    QCOMPARE(r.lead.customerName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(r.lead.phone, QStringLiteral("+442079460958"));

    // No customer_name row: first + last make it.
    FormMapping split;
    split.rows = {
        {QStringLiteral("first_name"), QStringLiteral("first_name"), {}, QStringLiteral("trim|capitalize"), true},
        {QStringLiteral("last_name"), QStringLiteral("last_name"), {}, QStringLiteral("trim|capitalize"), false},
    };
    r = LeadMapper::map(adLead(answers), split, {}, kRegion);
    QVERIFY2(r.ok(), qPrintable(describe(r.errors)));
    QCOMPARE(r.lead.firstName, QStringLiteral("Ada"));
    QCOMPARE(r.lead.lastName, QStringLiteral("Lovelace"));
    QCOMPARE(r.lead.customerName, QStringLiteral("Ada Lovelace"));

    // A mapped customer_name left empty is derived too, which satisfies its mandatory flag; a bad
    // part is reported once, on the part.
    split.rows.append({QStringLiteral("full_name"), QStringLiteral("customer_name"), {}, {}, true});
    r = LeadMapper::map(adLead(R"([{"name":"first_name","values":["Ada"]},{"name":"last_name","values":["<x>"]}])"),
                        split, {}, kRegion);
    QCOMPARE(errorKeys(r.errors), QStringList{"last_name/markup"});
    QCOMPARE(r.lead.customerName, QStringLiteral("Ada <x>"));
}

void TestLeadMapper::organicLead()
{
    // An organic lead: no ad, adset or campaign; is_organic true.
    const QByteArray payload = R"({"id":"1","created_time":1714557600,"form_id":"987654321098765",
        "is_organic":true,"platform":"fb","field_data":)"
                               + kGoodAnswers + "}";
    const LeadMapper::Result r = LeadMapper::map(payload, standardMapping(), {}, kRegion);
    QVERIFY2(r.ok(), qPrintable(describe(r.errors)));
    QVERIFY(r.lead.organic);
    QVERIFY(r.lead.adId.isEmpty());
    QVERIFY(r.lead.campaignId.isEmpty());
    QCOMPARE(r.lead.createdAtMs.value_or(-1), qint64(1714557600) * 1000);

    // No ad id is organic even when is_organic is missing.
    const QByteArray noFlag = R"({"id":"1","field_data":)" + kGoodAnswers + "}";
    const LeadMapper::Result n = LeadMapper::map(noFlag, standardMapping(), {}, kRegion);
    QVERIFY(n.lead.organic);
    QCOMPARE(n.lead.platform, QStringLiteral("unknown"));
    QCOMPARE(n.lead.formId, QStringLiteral("987654321098765")); // from the mapping
    QVERIFY(!n.lead.createdAtMs);
}

void TestLeadMapper::instagramLead()
{
    QByteArray payload = adLead(kGoodAnswers);
    payload.replace(R"("platform":"fb")", R"("platform":"ig")");
    const LeadMapper::Result r = LeadMapper::map(payload, standardMapping(), {}, kRegion);
    QVERIFY2(r.ok(), qPrintable(describe(r.errors)));
    QCOMPARE(r.lead.platform, QStringLiteral("instagram"));
    QVERIFY(!r.lead.organic);

    payload.replace(R"("platform":"ig")", R"("platform":"messenger")");
    QCOMPARE(LeadMapper::map(payload, standardMapping(), {}, kRegion).lead.platform, QStringLiteral("unknown"));
}

void TestLeadMapper::metaTestLead()
{
    // What Meta's Lead Ads Testing Tool delivers: placeholder answers, no ad.
    const QByteArray payload = R"({"id":"444444444444","created_time":"2024-05-01T10:00:00+0000",
        "form_id":"987654321098765","field_data":[
        {"name":"full_name","values":["<test lead: dummy data for full_name>"]},
        {"name":"email","values":["test@fb.com"]},
        {"name":"phone_number","values":["<test lead: dummy data for phone_number>"]},
        {"name":"city","values":["<test lead: dummy data for city>"]}]})";
    const LeadMapper::Result r = LeadMapper::map(payload, standardMapping(), {}, kRegion);
    // Flagged like any other lead (see LeadMapper's class comment), with a hint that it is a test.
    QCOMPARE(errorKeys(r.errors), (QStringList{"customer_name/markup", "phone/phone", "city/markup"}));
    for (const FieldError &e : r.errors)
        QVERIFY2(e.message.contains(QLatin1String("Meta's lead testing tool")), qPrintable(e.message));
    // The value is the one that failed, after the row's transform (trim|capitalize).
    QCOMPARE(r.errors.at(0).value, QStringLiteral("<test Lead: Dummy Data For Full_name>"));
    QVERIFY(r.lead.organic);
    QCOMPARE(r.lead.email, QStringLiteral("test@fb.com"));
}

void TestLeadMapper::malformedPayloads_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QStringList>("errors");

    QTest::newRow("not JSON") << QByteArray("{\"id\":") << QStringList{"/payload"};
    QTest::newRow("an array") << QByteArray("[]") << QStringList{"/payload"};
    QTest::newRow("empty") << QByteArray() << QStringList{"/payload"};
    QTest::newRow("field_data not a list") << QByteArray(R"({"field_data":{"a":1}})") << QStringList{"/payload"};
    QTest::newRow("no field_data: the mandatory phone is missing")
        << QByteArray(R"({"ad_id":"1"})") << QStringList{"phone/mandatory"};
    QTest::newRow("float ad id") << QByteArray(R"({"ad_id":1.2021123456789012e18,"field_data":[
        {"name":"phone_number","values":["0151 23456789"]}]})")
                                 << QStringList{"ad_id/payload"};
    QTest::newRow("odd entries are skipped, number answers are read")
        << QByteArray(R"({"field_data":[1,{"values":["x"]},{"name":5},{"name":"phone_number","values":[3012345678]}]})")
        << QStringList{};
}

void TestLeadMapper::malformedPayloads()
{
    QFETCH(QByteArray, payload);
    QFETCH(QStringList, errors);
    const LeadMapper::Result r = LeadMapper::map(payload, standardMapping(), {}, kRegion);
    QVERIFY2(errorKeys(r.errors) == errors, qPrintable(describe(r.errors)));
}

void TestLeadMapper::mappingProblemsSurfaceInMap()
{
    FormMapping m = standardMapping();
    m.rows[3].leadField = QStringLiteral("town");
    m.rows[4].transform = QStringLiteral("titlecase");
    const LeadMapper::Result r = LeadMapper::map(adLead(kGoodAnswers), m, {}, kRegion);
    QCOMPARE(errorKeys(r.errors), (QStringList{"town/mapping", "zip_code/mapping"}));
    QCOMPARE(r.errors.at(1).message,
             QStringLiteral("Row 5 (question \"zip_code\"): Unknown transform \"titlecase\"; use trim, capitalize, "
                            "lower, upper, phone or join:<sep>."));
    QCOMPARE(r.lead.phone, QStringLiteral("+4915123456789")); // the other rows still map
}

void TestLeadMapper::validateMapping_data()
{
    QTest::addColumn<QString>("questionKey");
    QTest::addColumn<QString>("leadField");
    QTest::addColumn<QString>("transform");
    QTest::addColumn<QString>("error"); // for the row added as row 8 of the standard mapping

    QTest::newRow("valid custom field") << "q" << "custom:how_soon" << "trim" << "";
    QTest::newRow("valid joined keys") << "street+house" << "street_address" << "join: " << "";
    QTest::newRow("unknown Lead field")
        << "q" << "telephone" << ""
        << "Row 8 (question \"q\") maps to \"telephone\", which is not a Lead field; use a standard field such as "
           "phone, or custom:<name> with a-z, 0-9 and _.";
    QTest::newRow("custom name with capitals")
        << "q" << "custom:HowSoon" << ""
        << "Row 8 (question \"q\") maps to \"custom:HowSoon\", which is not a Lead field; use a standard field such "
           "as phone, or custom:<name> with a-z, 0-9 and _.";
    QTest::newRow("no Lead field") << "q" << "" << ""
                                   << "Row 8 (question \"q\") has no Lead field; pick the field it fills.";
    QTest::newRow("unknown transform")
        << "q" << "job_title" << "trim|titlecase"
        << "Row 8 (question \"q\"): Unknown transform \"titlecase\"; use trim, capitalize, lower, upper, phone or "
           "join:<sep>.";
    QTest::newRow("empty question key") << " " << "job_title" << ""
                                        << "Row 8 has no question key; pick the form question it reads.";
    QTest::newRow("empty key between + signs")
        << "first_name+" << "job_title" << ""
        << "Row 8 (question \"first_name+\") has an empty question key between + signs; write several keys as "
           "first_name+last_name.";
    QTest::newRow("field mapped twice")
        << "mobile" << "phone" << ""
        << "Row 8 (question \"mobile\") fills Phone, which row 3 already fills; map each Lead field once.";
}

void TestLeadMapper::validateMapping()
{
    QFETCH(QString, questionKey);
    QFETCH(QString, leadField);
    QFETCH(QString, transform);
    QFETCH(QString, error);

    FormMapping m = standardMapping();
    QCOMPARE(LeadMapper::validateMapping(m), QString());
    m.rows.append({questionKey, leadField, {}, transform, false});
    QCOMPARE(LeadMapper::validateMapping(m), error);
}

void TestLeadMapper::jsonRoundTrips()
{
    const QList<FieldError> errors{
        {"phone", "12345", "phone", "Phone \"12345\" is not a valid phone number for region DE."},
        {"customer_name", QString::fromUtf16(u"Zoë\u0007"), "control", "x"},
    };
    bool ok = false;
    QCOMPARE(FieldError::fromJson(FieldError::toJson(errors), &ok), errors);
    QVERIFY(ok);
    QVERIFY(FieldError::fromJson("{}", &ok).isEmpty());
    QVERIFY(!ok);
    QVERIFY(FieldError::fromJson("not json", &ok).isEmpty());
    QVERIFY(!ok);
    QCOMPARE(FieldError::toJson({}), QByteArray("[]"));

    const QList<Correction> corrections{
        {Correction::fieldTarget("phone"), "+4915123456789", "ana", 1714557600123},
        {Correction::questionTarget("city"), "", "bo", 0},
    };
    QCOMPARE(Correction::fromJson(Correction::toJson(corrections), &ok), corrections);
    QVERIFY(ok);
    QCOMPARE(corrections.at(0).target, QStringLiteral("field:phone"));
    QVERIFY(Correction::fromJson("[1]", &ok).isEmpty());
    QVERIFY(!ok);
}

void TestLeadMapper::leadRecordFields()
{
    LeadRecord r;
    const QStringList fields = LeadField::standardFields();
    for (const QString &f : fields)
        r.setValue(f, f + QStringLiteral("!"));
    r.setValue(QStringLiteral("custom:how_soon"), QStringLiteral("now"));
    r.setValue(QStringLiteral("nonsense"), QStringLiteral("ignored"));
    for (const QString &f : fields)
        QCOMPARE(r.value(f), f + QStringLiteral("!"));
    QCOMPARE(r.phone, QStringLiteral("phone!"));
    QCOMPARE(r.customerName, QStringLiteral("customer_name!"));
    QCOMPARE(r.standard.size(), 8); // the 14 standard fields minus 6 members
    QCOMPARE(r.value(QStringLiteral("custom:how_soon")), QStringLiteral("now"));
    QCOMPARE(r.value(QStringLiteral("nonsense")), QString());
    r.setValue(QStringLiteral("gender"), QString());
    r.setValue(QStringLiteral("custom:how_soon"), QString());
    QVERIFY(!r.standard.contains(QStringLiteral("gender")));
    QCOMPARE(r.customJson(), QByteArray("{}"));
}

void TestLeadMapper::leadFieldCatalogue_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("known");
    QTest::addColumn<QString>("label");

    QTest::newRow("phone") << "phone" << true << "Phone";
    QTest::newRow("zip") << "zip_code" << true << "ZIP code";
    QTest::newRow("custom") << "custom:budget_range" << true << "Budget range";
    QTest::newRow("custom 64 chars") << "custom:" + QString(64, 'a') << true << "A" + QString(63, 'a');
    QTest::newRow("custom 65 chars") << "custom:" + QString(65, 'a') << false << "custom:" + QString(65, 'a');
    QTest::newRow("custom empty") << "custom:" << false << "custom:";
    QTest::newRow("custom with dash") << "custom:how-soon" << false << "custom:how-soon";
    QTest::newRow("case matters") << "Phone" << false << "Phone";
    QTest::newRow("unknown") << "telephone" << false << "telephone";
}

void TestLeadMapper::leadFieldCatalogue()
{
    QFETCH(QString, field);
    QFETCH(bool, known);
    QFETCH(QString, label);
    QCOMPARE(LeadField::isKnown(field), known);
    QCOMPARE(LeadField::label(field), label);

    QCOMPARE(LeadField::standardFields().size(), 14);
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("full_name")), QStringLiteral("customer_name"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("phone_number")), QStringLiteral("phone"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("post_code")), QStringLiteral("zip_code"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("zip_code")), QStringLiteral("zip_code"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("email")), QStringLiteral("email"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("date_of_birth")), QStringLiteral("date_of_birth"));
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("how_soon_do_you_need_a_roof?")), QString());
    QCOMPARE(LeadField::suggestedFor(QStringLiteral("customer_name")), QString());
}

QTEST_GUILESS_MAIN(TestLeadMapper)
#include "tst_lead_mapper.moc"
