// `leadkeeper try-meta`'s stand-in for Meta's Graph API, in process: the real GraphClient, PageAdmin
// and LeadProcessor talk to it over loopback exactly as they talk to Meta, so what a new user sees
// while trying Leadkeeper out (Fetch forms, Test token, a lead Processed, a lead in Error for its
// phone, corrected and Processed) is what these tests see.

#include "config/fetched_form_store.h"
#include "config/page_admin.h"
#include "config/secret_store.h"
#include "demo/try_meta_server.h"
#include "desk_log.h"
#include "http_test_client.h"
#include "mapping_table_model.h"
#include "meta/graph_client.h"
#include "meta/meta_ids.h"
#include "processing/lead_processor.h"
#include "processing/phone_normalizer.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/lead_store.h"
#include "store/processing_store.h"
#include "temp_store.h"

#include <QDateTime>
#include <QMutex>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <nlohmann/json.hpp>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QString kPage = QStringLiteral("1029384756473829");
const QString kSampleLead = QStringLiteral("1234567890123456789"); // the README's sample webhook
const QByteArray kToken = "EAAtry-any-token-at-all";

/// The stand-in in a thread of its own, as it would be in its own process: the test's blocking
/// clients never have to serve it.
class StandIn
{
public:
    StandIn()
    {
        m_thread.start();
        m_anchor.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &m_anchor,
            [this] {
                m_server = new TryMetaServer;
                QObject::connect(m_server, &TryMetaServer::answered, [this](const QString &line) {
                    QMutexLocker lock(&m_mutex);
                    m_lines << line;
                });
                if (m_server->listen(QHostAddress::LocalHost, 0, &m_error))
                    m_url = m_server->baseUrl();
            },
            Qt::BlockingQueuedConnection);
    }
    ~StandIn()
    {
        QThread *here = QThread::currentThread();
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, here] {
                delete m_server;
                m_anchor.moveToThread(here); // it is destroyed here, after the thread ended
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    QString url() const { return m_url; }
    QString error() const { return m_error; }
    quint16 port() const { return quint16(QUrl(m_url).port()); }
    QStringList lines()
    {
        QMutexLocker lock(&m_mutex);
        return m_lines;
    }

private:
    QThread m_thread;
    QObject m_anchor;
    TryMetaServer *m_server = nullptr;
    QString m_url;
    QString m_error;
    QMutex m_mutex;
    QStringList m_lines;
};

nlohmann::json parse(const QByteArray &text)
{
    return nlohmann::json::parse(text.constData(), text.constData() + text.size(), nullptr, false);
}

QString str(const nlohmann::json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

/// field_data as question key → first value.
QList<QPair<QString, QString>> answers(const nlohmann::json &lead)
{
    QList<QPair<QString, QString>> out;
    for (const auto &f : lead.at("field_data"))
        out.append({str(f, "name"), QString::fromStdString(f.at("values").at(0).get<std::string>())});
    return out;
}

QString answer(const nlohmann::json &lead, const QString &key)
{
    for (const auto &[k, v] : answers(lead))
        if (k == key)
            return v;
    return {};
}

} // namespace

class TestTryMeta : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void leadIsMetasWireFormat();
    void sameIdSameLeadOtherIdsOtherPeople();
    void everyPhoneIsValidExceptForIdsEndingIn99();
    void idsEndingIn8BelongToTheSecondForm();
    void onlyTheFieldsAskedForAreAnswered();
    void formsHaveTheStandardQuestions();
    void anyTokenTestsValidWithEveryPermission();
    void wrongRequestsGetGraphErrors_data();
    void wrongRequestsGetGraphErrors();
    void theConsoleNeverShowsAToken();
    void badPhoneIsAnErrorUntilCorrectedOtherLeadsAreProcessed();

private:
    std::unique_ptr<StandIn> m_standIn;
};

void TestTryMeta::init()
{
    m_standIn = std::make_unique<StandIn>();
    QVERIFY2(!m_standIn->url().isEmpty(), qPrintable(m_standIn->error()));
}

void TestTryMeta::cleanup()
{
    m_standIn.reset();
}

void TestTryMeta::leadIsMetasWireFormat()
{
    GraphClient client(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    const auto fetched = client.fetchLead(kSampleLead, kToken);
    QVERIFY2(fetched.ok(), qPrintable(fetched.error ? fetched.error->message : QString()));
    const nlohmann::json lead = parse(*fetched.value);
    QVERIFY(lead.is_object());
    QCOMPARE(str(lead, "id"), kSampleLead);
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000$"))
                 .match(str(lead, "created_time"))
                 .hasMatch(),
             qPrintable(str(lead, "created_time")));
    // The moment the README's sample webhook says the form was submitted.
    QCOMPARE(meta_ids::isoTimeToMs(str(lead, "created_time")), std::optional<qint64>(1763800000000));
    QCOMPARE(str(lead, "form_id"), TryMetaServer::kFirstFormId);
    // 19-digit ids as strings: a double would turn ...0001 into ...0000.
    QVERIFY(lead.at("ad_id").is_string());
    QCOMPARE(str(lead, "ad_id"), QStringLiteral("6120000000000000001"));
    QCOMPARE(str(lead, "adset_id"), QStringLiteral("6120000000000000002"));
    QCOMPARE(str(lead, "campaign_id"), QStringLiteral("6120000000000000003"));
    for (const char *name : {"ad_name", "adset_name", "campaign_name"})
        QVERIFY2(!str(lead, name).isEmpty(), name);
    QVERIFY(lead.at("is_organic").is_boolean() && !lead.at("is_organic").get<bool>());
    QVERIFY(str(lead, "platform") == QLatin1String("fb") || str(lead, "platform") == QLatin1String("ig"));
    QStringList keys;
    for (const auto &[key, value] : answers(lead)) {
        keys << key;
        QVERIFY2(!value.trimmed().isEmpty(), qPrintable(key));
    }
    QCOMPARE(keys, (QStringList{QStringLiteral("full_name"), QStringLiteral("email"),
                                QStringLiteral("phone_number"), QStringLiteral("city")}));
    QVERIFY(answer(lead, QStringLiteral("full_name")).contains(QLatin1Char(' ')));
    QVERIFY(answer(lead, QStringLiteral("email")).contains(QLatin1String("@example.")));
    QVERIFY(PhoneNormalizer::normalize(answer(lead, QStringLiteral("phone_number")), QStringLiteral("US")).ok());
}

void TestTryMeta::sameIdSameLeadOtherIdsOtherPeople()
{
    GraphClient client(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    const auto first = client.fetchLead(kSampleLead, kToken);
    const auto again = client.fetchLead(kSampleLead, "EAAanother-token");
    QVERIFY(first.ok() && again.ok());
    QCOMPARE(*again.value, *first.value);
    QSet<QString> names, cities;
    for (int i = 0; i < 12; ++i) {
        const QString id = QStringLiteral("10000000000000000%1").arg(i * 7 % 90 + 10);
        const auto fetched = client.fetchLead(id, kToken);
        QVERIFY2(fetched.ok(), qPrintable(id));
        const nlohmann::json lead = parse(*fetched.value);
        QCOMPARE(str(lead, "id"), id);
        names.insert(answer(lead, QStringLiteral("full_name")));
        cities.insert(answer(lead, QStringLiteral("city")));
    }
    QVERIFY2(names.size() >= 8, qPrintable(QStringList(names.values()).join(QLatin1String(", "))));
    QVERIFY2(cities.size() >= 4, qPrintable(QStringList(cities.values()).join(QLatin1String(", "))));
}

void TestTryMeta::everyPhoneIsValidExceptForIdsEndingIn99()
{
    // Whatever id a user types into a webhook, the lead must end Processed unless it ends in 99
    // (the README's sample id ends in 9: it must be processed).
    for (qint64 n = 0; n < 3000; ++n) {
        const QString id = QString::number(1234567890123400000LL + n * 37);
        const nlohmann::json lead = parse(TryMetaServer::leadJson(id));
        const QString phone = answer(lead, QStringLiteral("phone_number"));
        const auto normalized = PhoneNormalizer::normalize(phone, QStringLiteral("US"));
        if (id.endsWith(QLatin1String("99"))) {
            QCOMPARE(phone, TryMetaServer::kInvalidPhone);
            QVERIFY2(!normalized.ok(), qPrintable(id));
        } else {
            QVERIFY2(normalized.ok(), qPrintable(id + QLatin1String(": ") + normalized.error));
            // 555-01xx numbers are reserved for fiction: nobody real is ever called.
            QVERIFY2(normalized.e164.mid(5, 5) == QLatin1String("55501"), qPrintable(normalized.e164));
        }
    }
}

void TestTryMeta::idsEndingIn8BelongToTheSecondForm()
{
    GraphClient client(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    const auto fetched = client.fetchLead(QStringLiteral("1234567890123456708"), kToken);
    QVERIFY(fetched.ok());
    const nlohmann::json lead = parse(*fetched.value);
    QCOMPARE(str(lead, "form_id"), TryMetaServer::kSecondFormId);
    QCOMPARE(str(lead, "ad_id"), QStringLiteral("6120000000000000011"));
    QVERIFY(PhoneNormalizer::normalize(answer(lead, QStringLiteral("phone_number")), QStringLiteral("US")).ok());
}

void TestTryMeta::onlyTheFieldsAskedForAreAnswered()
{
    const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + kToken}};
    HttpResponse r = httpRequest(m_standIn->port(), "GET",
                                 "/v24.0/" + kSampleLead.toLatin1() + "?fields=field_data,platform", {},
                                 auth);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    nlohmann::json body = parse(r.body);
    QStringList keys;
    for (const auto &item : body.items())
        keys << QString::fromStdString(item.key());
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("field_data"), QStringLiteral("id"), QStringLiteral("platform")}));

    r = httpRequest(m_standIn->port(), "GET", "/v24.0/" + kSampleLead.toLatin1() + "?fields=id,phone",
                    {}, auth);
    QCOMPARE(r.status, 400);
    body = parse(r.body);
    QCOMPARE(body["error"]["code"].get<int>(), 100);
    QVERIFY(str(body["error"], "message").contains(QLatin1String("(phone)")));
}

void TestTryMeta::formsHaveTheStandardQuestions()
{
    GraphClient client(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    const auto fetched = client.fetchForms(kPage, kToken);
    QVERIFY2(fetched.ok(), qPrintable(fetched.error ? fetched.error->message : QString()));
    const QList<GraphForm> forms = *fetched.value;
    QCOMPARE(forms.size(), 2);
    QCOMPARE(forms.at(0).id, TryMetaServer::kFirstFormId);
    QCOMPARE(forms.at(1).id, TryMetaServer::kSecondFormId);
    for (const GraphForm &f : forms) {
        QCOMPARE(f.status, QStringLiteral("ACTIVE"));
        QVERIFY(!f.name.isEmpty());
        QStringList keys, types;
        for (const GraphQuestion &q : f.questions) {
            keys << q.key;
            types << q.type;
            QVERIFY(!q.label.isEmpty());
        }
        QCOMPARE(keys, (QStringList{QStringLiteral("full_name"), QStringLiteral("email"),
                                    QStringLiteral("phone_number"), QStringLiteral("city")}));
        QCOMPARE(types, (QStringList{QStringLiteral("FULL_NAME"), QStringLiteral("EMAIL"),
                                     QStringLiteral("PHONE"), QStringLiteral("CITY")}));
    }
    // The desk's suggested mapping of these questions: name, e-mail, phone (mandatory) and city.
    const QList<MappingRow> rows =
        MappingTableModel::suggestedRows(FetchedFormStore::questionsJson(forms.at(0)));
    QStringList fields;
    for (const MappingRow &row : rows)
        fields << row.leadField;
    QCOMPARE(fields, (QStringList{QStringLiteral("customer_name"), QStringLiteral("email"),
                                  QStringLiteral("phone"), QStringLiteral("city")}));
}

void TestTryMeta::anyTokenTestsValidWithEveryPermission()
{
    // What the desk's "Test token" button shows.
    PageAdminContext context;
    context.graphUrl = m_standIn->url();
    PageConfig page;
    page.pageId = kPage;
    page.name = QStringLiteral("Acme Roofing");
    const TokenCheck check = PageAdmin::testToken(context, page, QStringLiteral("whatever I type"));
    QVERIFY2(check.error.isEmpty(), qPrintable(check.error));
    QVERIFY(check.info.valid);
    QCOMPARE(check.info.type, QStringLiteral("PAGE"));
    QVERIFY2(check.missingScopes.isEmpty(), qPrintable(check.missingScopes.join(QLatin1String(", "))));
    QVERIFY(check.info.expiresAtMs.has_value());
    const qint64 days = QDateTime::currentDateTime().daysTo(QDateTime::fromMSecsSinceEpoch(*check.info.expiresAtMs));
    QVERIFY2(days >= 59 && days <= 60, qPrintable(QString::number(days)));
}

void TestTryMeta::wrongRequestsGetGraphErrors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::newRow("unknown edge") << QByteArray("GET") << QByteArray("/v24.0/5647382910564738/leads")
                                  << true << 100 << 0;
    QTest::newRow("long path") << QByteArray("GET") << QByteArray("/v24.0/1/2/3/4") << true << 100 << 0;
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << true << 100 << 0;
    QTest::newRow("not an id") << QByteArray("GET") << QByteArray("/v24.0/me") << true << 100 << 33;
    QTest::newRow("post") << QByteArray("POST") << QByteArray("/v24.0/1234567890123456789") << true
                          << 100 << 0;
    QTest::newRow("no token") << QByteArray("GET") << QByteArray("/v24.0/1234567890123456789")
                              << false << 104 << 0;
    QTest::newRow("debug_token without input")
        << QByteArray("GET") << QByteArray("/v24.0/debug_token") << true << 100 << 0;
}

void TestTryMeta::wrongRequestsGetGraphErrors()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(bool, withToken);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (withToken)
        headers.append({"Authorization", "Bearer " + kToken});
    const HttpResponse r = httpRequest(m_standIn->port(), method, path,
                                       method == "POST" ? QByteArray("{}") : QByteArray(), headers);
    QCOMPARE(r.status, 400);
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    QVERIFY(!r.header("x-fb-trace-id").isEmpty());
    const nlohmann::json body = parse(r.body);
    QVERIFY2(body.is_object() && body.contains("error"), r.body.constData());
    const nlohmann::json &e = body["error"];
    QCOMPARE(e.value("code", 0), code);
    QCOMPARE(e.value("error_subcode", 0), subcode);
    QVERIFY(!str(e, "message").isEmpty());
    QVERIFY(!str(e, "type").isEmpty());
    QVERIFY(!str(e, "fbtrace_id").isEmpty());
}

void TestTryMeta::theConsoleNeverShowsAToken()
{
    GraphClient client(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    const QByteArray input = "EAAinput-token-to-inspect";
    QVERIFY(client.debugToken(input, kToken).ok());
    QVERIFY(client.fetchLead(QStringLiteral("1234567890123456799"), kToken).ok());
    QTRY_COMPARE(m_standIn->lines().size(), 2);
    const QStringList lines = m_standIn->lines();
    for (const QString &line : lines) {
        QVERIFY2(!line.contains(QLatin1String(input)) && !line.contains(QLatin1String(kToken)),
                 qPrintable(line));
    }
    QVERIFY2(lines.at(0).startsWith(QLatin1String("GET /v24.0/debug_token -> 200")), qPrintable(lines.at(0)));
    // The console says which lead was made to fail, and why.
    QVERIFY2(lines.at(1).contains(QLatin1String("12345")) && lines.at(1).contains(QLatin1String("ending in 99")),
             qPrintable(lines.at(1)));
}

void TestTryMeta::badPhoneIsAnErrorUntilCorrectedOtherLeadsAreProcessed()
{
    // The README's walk-through, through the engine calls the desk makes.
    TempStore temp;
    PageAdminContext context;
    context.databasePath = temp.databasePath();
    context.secrets.backend = SecretStore::Backend::File;
    context.secrets.directory = temp.dir();
    context.secrets.honourEnvironment = false;
    context.graphUrl = m_standIn->url();
    QString error;
    std::optional<Database> db = Database::open(temp.databasePath(), &error);
    QVERIFY2(db, qPrintable(error));

    PageConfig page;
    page.pageId = kPage;
    page.name = QStringLiteral("Acme Roofing");
    const auto saved = PageAdmin::savePage(context, page, QString::fromLatin1(kToken), &error);
    QVERIFY2(saved, qPrintable(error));
    const QList<GraphForm> forms = PageAdmin::fetchForms(context, saved->page, {}, &error);
    QVERIFY2(!forms.isEmpty(), qPrintable(error));
    FormMapping form;
    form.pageConfigId = saved->page.id;
    form.formId = forms.at(0).id;
    form.formName = forms.at(0).name;
    form.questions = FetchedFormStore::questionsJson(forms.at(0));
    form.rows = MappingTableModel::suggestedRows(form.questions);
    QVERIFY2(PageAdmin::saveForm(context, form, &error), qPrintable(error));

    const QString good = kSampleLead;
    const QString bad = QStringLiteral("1234567890123456799");
    LeadLogStore log(db->sql());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(log.storeDelivery({deskLead(good, LeadSource::Webhook, now),
                                deskLead(bad, LeadSource::Webhook, now)},
                               now, &error),
             qPrintable(error));

    GraphClient graph(m_standIn->url(), QStringLiteral("v24.0"), 5000);
    SecretStore secrets(context.secrets);
    LeadProcessor processor(db->sql(), graph, secrets, RetryPolicy{});
    const auto process = [&](const QString &leadgenId, bool again) {
        const auto entry = log.find(leadgenId, &error);
        ProcessOptions options;
        options.reprocess = again;
        return entry ? processor.process(entry->id, options) : LeadProcessor::Result{};
    };

    LeadProcessor::Result r = process(good, false);
    QCOMPARE(r.status, LeadStatus::Processed);
    const nlohmann::json payload = parse(TryMetaServer::leadJson(good));
    LeadStore leads(db->sql());
    auto lead = leads.byLeadgenId(good, &error);
    QVERIFY2(lead, qPrintable(error));
    QCOMPARE(lead->customerName, answer(payload, QStringLiteral("full_name")));
    QCOMPARE(lead->phone, PhoneNormalizer::normalize(answer(payload, QStringLiteral("phone_number")),
                                                     QStringLiteral("US")).e164);
    QCOMPARE(lead->city, answer(payload, QStringLiteral("city")));
    QVERIFY(lead->attribution.contains("\"6120000000000000001\""));

    r = process(bad, false);
    QCOMPARE(r.status, LeadStatus::Error);
    QVERIFY2(r.message.contains(QLatin1String("12345")), qPrintable(r.message));
    auto entry = log.find(bad, &error);
    QVERIFY(entry);
    QCOMPARE(entry->status, LeadStatus::Error);
    const nlohmann::json fieldErrors = parse(entry->fieldErrors);
    QCOMPARE(int(fieldErrors.size()), 1);
    QCOMPARE(str(fieldErrors.at(0), "field"), QStringLiteral("phone"));
    QCOMPARE(str(fieldErrors.at(0), "value"), QStringLiteral("12345"));
    QVERIFY(!leads.byLeadgenId(bad, &error));

    // Correct data… → a valid number → processed again.
    ProcessingStore store(db->sql());
    QVERIFY2(store.addCorrection(bad, QStringLiteral("field:phone"), QStringLiteral("(512) 555-0123"),
                                 QStringLiteral("new user"), &error),
             qPrintable(error));
    r = process(bad, true);
    QCOMPARE(r.status, LeadStatus::Processed);
    lead = leads.byLeadgenId(bad, &error);
    QVERIFY2(lead, qPrintable(error));
    QCOMPARE(lead->phone, QStringLiteral("+15125550123"));
}

QTEST_GUILESS_MAIN(TestTryMeta)
#include "tst_try_meta.moc"
