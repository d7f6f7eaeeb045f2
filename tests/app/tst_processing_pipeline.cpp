// The processing pipeline end to end, in one process: signed webhooks through the real listener,
// the real ProcessingEngine and dispatcher, a real SQLite file and a fake Meta Graph server that
// speaks the real wire format. Every status of DESIGN.md §4 is reached through the HTTP path.

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "config/secret_store.h"
#include "fake_graph_server.h"
#include "graph_bodies.h"
#include "http_test_client.h"
#include "ingest/listener_thread.h"
#include "processing/processing_dispatcher.h"
#include "processing/processing_engine.h"
#include "processing/reprocess_job.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/lead_store.h"
#include "store/processing_store.h"
#include "temp_store.h"
#include "webhook_bodies.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QString kPage = QStringLiteral("1029384756473829");
const QString kOtherPage = QStringLiteral("2039485761029384");
const QString kForm = QStringLiteral("5647382910564738");
const QByteArray kToken = "EAAB-page-token-acme";

QList<QPair<QString, QString>> goodAnswers()
{
    return {{QStringLiteral("full_name"), QStringLiteral("ada lovelace")},
            {QStringLiteral("email"), QStringLiteral("ada@example.com")},
            {QStringLiteral("phone_number"), QStringLiteral("(650) 253-0000")},
            {QStringLiteral("city"), QStringLiteral("Mountain View")}};
}

} // namespace

class TestProcessingPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void processedThroughTheWholePath();
    void unknownPageIsUnconfiguredThenProcessedOnceConfigured();
    void unmappedFormIsUnconfigured();
    void disabledPageIsDisabled();
    void permanentGraphErrorsAreErrorsWithAnActionableSentence_data();
    void permanentGraphErrorsAreErrorsWithAnActionableSentence();
    void transientFailureIsRetriedThenProcessed();
    void retriesExhaustedEndInError();
    void malformedGraphAnswerIsTransient();
    void rateLimitedPageIsPausedWhileOtherPagesGoOn();
    void validationErrorThenCorrectionOverlayThenProcessed();
    void reprocessingTwiceNeverMakesASecondLead();
    void lossAndRestore();
    void pendingLeadsAreProcessedAfterARestart();
    void bulkReprocessReportsProgressAndCanBeCancelled();
    void processAllMatchingFindsAPhoneAsDialled();

private:
    void startProcessing(int concurrency = 4);
    void configurePage(const QString &pageId, bool enabled = true, bool mapForm = true,
                       const QString &name = QStringLiteral("Acme Roofing"));
    void post(const QList<LeadgenChange> &changes, const QString &pageId = kPage);
    void postOne(const QString &leadgenId, const QString &pageId = kPage);
    LeadLogEntry entry(const QString &leadgenId);
    bool settled(const QString &leadgenId);
    int count(const QString &sql);

    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<FakeGraphServer> m_graph;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<ProcessingEngine> m_engine;
    std::unique_ptr<ProcessingDispatcher> m_dispatcher;
    std::optional<Database> m_db;
    Settings m_settings = Settings::defaults();
};

void TestProcessingPipeline::init()
{
    m_store = std::make_unique<TempStore>();
    m_graph = std::make_unique<FakeGraphServer>(8);
    QVERIFY(m_graph->isListening());
    m_graph->setExpectedToken(kToken);
    m_settings = m_store->settings();
    m_settings.set("graph/url", m_graph->baseUrl());
    m_settings.set("processing/retry_base_ms", QStringLiteral("40"));
    m_settings.set("processing/max_attempts", QStringLiteral("3"));
    m_settings.set("graph/timeout_ms", QStringLiteral("2000"));
    QString error;
    m_db = Database::open(m_store->databasePath(), &error);
    QVERIFY2(m_db, qPrintable(error));
    m_listener = std::make_unique<ListenerThread>(m_settings);
    QVERIFY2(m_listener->start(&error), qPrintable(error));
}

void TestProcessingPipeline::cleanup()
{
    m_dispatcher.reset();
    m_engine.reset();
    m_listener.reset();
    m_db.reset();
    m_graph.reset();
    m_store.reset();
}

void TestProcessingPipeline::startProcessing(int concurrency)
{
    ProcessingEngine::Config config = ProcessingEngine::configFrom(m_settings);
    config.concurrency = concurrency;
    const QString secretsDir = m_store->dir();
    config.secretStoreFactory = [secretsDir] {
        SecretStore::Options o;
        o.backend = SecretStore::Backend::File;
        o.directory = secretsDir;
        return std::make_unique<SecretStore>(o);
    };
    m_engine = std::make_unique<ProcessingEngine>(config);
    m_dispatcher = std::make_unique<ProcessingDispatcher>(*m_engine, m_store->databasePath());
    connect(m_listener.get(), &ListenerThread::deliveryStored, m_dispatcher.get(),
            &ProcessingDispatcher::wake);
    QString error;
    QVERIFY2(m_dispatcher->start(&error, 50), qPrintable(error));
}

void TestProcessingPipeline::configurePage(const QString &pageId, bool enabled, bool mapForm,
                                           const QString &name)
{
    ConfigStore config(m_db->sql());
    PageConfig page;
    if (const auto existing = config.page(pageId))
        page = *existing;
    page.pageId = pageId;
    page.name = name;
    page.enabled = enabled;
    page.defaultRegion = QStringLiteral("US");
    QString error;
    QVERIFY2(config.savePage(page, &error), qPrintable(error));
    SecretStore::Options o;
    o.backend = SecretStore::Backend::File;
    o.directory = m_store->dir();
    SecretStore secrets(o);
    QVERIFY2(secrets.setToken(page.tokenRef, QString::fromLatin1(kToken), &error), qPrintable(error));
    if (!mapForm)
        return;
    FormMapping form;
    form.pageConfigId = page.id;
    form.formId = kForm;
    form.formName = QStringLiteral("Roof check");
    form.rows = {{QStringLiteral("full_name"), QStringLiteral("customer_name"), {},
                  QStringLiteral("trim|capitalize"), true},
                 {QStringLiteral("email"), QStringLiteral("email"), {}, QStringLiteral("trim"), false},
                 {QStringLiteral("phone_number"), QStringLiteral("phone"), {}, QStringLiteral("phone"), true},
                 {QStringLiteral("city"), QStringLiteral("city"), {}, QStringLiteral("trim"), false}};
    QVERIFY2(config.saveForm(form, &error), qPrintable(error));
}

void TestProcessingPipeline::post(const QList<LeadgenChange> &changes, const QString &pageId)
{
    WebhookEntry e;
    e.pageId = pageId;
    e.changes = changes;
    HttpTestClient client(QStringLiteral("127.0.0.1"), m_listener->port());
    const HttpResponse r = client.postWebhook(webhookBody({e}), TempStore::kAppSecret);
    QCOMPARE(r.status, 200);
}

void TestProcessingPipeline::postOne(const QString &leadgenId, const QString &pageId)
{
    LeadgenChange c;
    c.leadgenId = leadgenId;
    c.pageId = pageId;
    c.formId = kForm;
    post({c}, pageId);
}

LeadLogEntry TestProcessingPipeline::entry(const QString &leadgenId)
{
    LeadLogStore store(m_db->sql());
    QString error;
    const auto e = store.find(leadgenId, &error);
    return e.value_or(LeadLogEntry{});
}

bool TestProcessingPipeline::settled(const QString &leadgenId)
{
    const LeadLogEntry e = entry(leadgenId);
    return !e.leadgenId.isEmpty() && e.status != LeadStatus::Pending;
}

int TestProcessingPipeline::count(const QString &sql)
{
    QSqlQuery q(m_db->sql());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

void TestProcessingPipeline::processedThroughTheWholePath()
{
    configurePage(kPage);
    const QString id = QStringLiteral("9223372036854775807");
    GraphLeadSpec spec;
    spec.leadgenId = id;
    spec.formId = kForm;
    spec.adId = QStringLiteral("6120000000000000001");
    spec.adsetId = QStringLiteral("6120000000000000002");
    spec.campaignId = QStringLiteral("6120000000000000003");
    spec.platform = QStringLiteral("ig");
    for (const auto &a : goodAnswers())
        spec.fieldData.append({a.first, {a.second}});
    m_graph->setLead(id, graphLeadJson(spec));
    startProcessing();
    postOne(id);

    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    const LeadLogEntry e = entry(id);
    QCOMPARE(statusLabel(e.status), QStringLiteral("Processed"));
    QVERIFY(e.errorMessage.isEmpty());
    QCOMPARE(e.platform, QStringLiteral("instagram"));
    QVERIFY(!e.organic);
    QVERIFY(e.leadId.has_value());
    QVERIFY(!e.leadPayload.isEmpty());
    QCOMPARE(m_graph->lastAuthorization(), QByteArray("Bearer ") + kToken);

    LeadStore leads(m_db->sql());
    QString error;
    const auto lead = leads.byLeadgenId(id, &error);
    QVERIFY2(lead, qPrintable(error));
    QCOMPARE(lead->customerName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(lead->phone, QStringLiteral("+16502530000"));
    QCOMPARE(lead->email, QStringLiteral("ada@example.com"));
    QCOMPARE(lead->source, QStringLiteral("meta_ads"));
    const auto attribution = nlohmann::json::parse(lead->attribution.toStdString());
    QCOMPARE(QString::fromStdString(attribution.at("campaign_id").get<std::string>()),
             QStringLiteral("6120000000000000003"));
    QCOMPARE(QString::fromStdString(attribution.at("ad_id").get<std::string>()),
             QStringLiteral("6120000000000000001"));
    QCOMPARE(QString::fromStdString(attribution.at("page_id").get<std::string>()), kPage);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE kind = 'call_dispatch'")), 1);

    LeadLogStore store(m_db->sql());
    const QList<HistoryEvent> history = store.history(e.id, &error);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).to, LeadStatus::Pending);
    QCOMPARE(history.at(1).from, std::optional<LeadStatus>(LeadStatus::Pending));
    QCOMPARE(history.at(1).to, LeadStatus::Processed);
}

void TestProcessingPipeline::unknownPageIsUnconfiguredThenProcessedOnceConfigured()
{
    const QString id = QStringLiteral("1000000000000000001");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Unconfigured);
    QVERIFY2(e.errorMessage.contains(kPage), qPrintable(e.errorMessage));
    QCOMPARE(m_graph->requestCount(id), 0); // nothing is fetched for an unknown page

    configurePage(kPage);
    ReprocessJob job(*m_engine, {e.id}, ProcessOptions{});
    QSignalSpy finished(&job, &ReprocessJob::finished);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(job.summary().processed, 1);
    QCOMPARE(entry(id).status, LeadStatus::Processed);
}

void TestProcessingPipeline::unmappedFormIsUnconfigured()
{
    configurePage(kPage, true, false);
    const QString id = QStringLiteral("1000000000000000002");
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Unconfigured);
    // What is wrong comes first (the desk's Error column shows the first words).
    QVERIFY2(e.errorMessage.startsWith(QLatin1String("Form not mapped: ")) &&
                 e.errorMessage.contains(kForm) && e.errorMessage.contains(QLatin1String("Acme Roofing")),
             qPrintable(e.errorMessage));

    // Once "Fetch forms from Meta" has found the form, it is named as staff know it.
    ConfigStore config(m_db->sql());
    const auto page = config.page(kPage);
    QVERIFY(page);
    GraphForm fetched;
    fetched.id = kForm;
    fetched.name = QStringLiteral("Gutter cleaning");
    QString error;
    QVERIFY2(FetchedFormStore(m_db->sql()).replace(page->id, {fetched}, 1, &error), qPrintable(error));
    ReprocessJob job(*m_engine, {e.id}, ProcessOptions{});
    QSignalSpy finished(&job, &ReprocessJob::finished);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    e = entry(id);
    QCOMPARE(e.status, LeadStatus::Unconfigured);
    QVERIFY2(e.errorMessage.startsWith(QStringLiteral("Form not mapped: Gutter cleaning (%1) of page "
                                                      "Acme Roofing.").arg(kForm)),
             qPrintable(e.errorMessage));
}

void TestProcessingPipeline::disabledPageIsDisabled()
{
    configurePage(kPage, false);
    const QString id = QStringLiteral("1000000000000000003");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    QCOMPARE(entry(id).status, LeadStatus::Disabled);
    QCOMPARE(m_graph->requestCount(id), 0);
}

void TestProcessingPipeline::permanentGraphErrorsAreErrorsWithAnActionableSentence_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("subcode");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("expired token 190/463") << 400 << 190 << 463 << QStringLiteral("190/463");
    QTest::newRow("invalid token 190/467") << 400 << 190 << 467 << QStringLiteral("190/467");
    QTest::newRow("not found 100/33") << 400 << 100 << 33 << QStringLiteral("100/33");
    QTest::newRow("permission 200") << 403 << 200 << 0 << QStringLiteral("200");
    QTest::newRow("permission 10") << 403 << 10 << 0 << QStringLiteral("10");
}

void TestProcessingPipeline::permanentGraphErrorsAreErrorsWithAnActionableSentence()
{
    QFETCH(int, httpStatus);
    QFETCH(int, code);
    QFETCH(int, subcode);
    QFETCH(QString, mentions);
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000004");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    m_graph->failLead(id, 1, httpStatus, code, subcode);
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    const LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Error);
    QVERIFY2(e.errorMessage.contains(mentions), qPrintable(e.errorMessage));
    QVERIFY2(e.errorMessage.contains(QLatin1String("Acme Roofing")), qPrintable(e.errorMessage));
    QVERIFY2(!e.errorMessage.contains(QString::fromLatin1(kToken)), "the token leaked into a message");
    QCOMPARE(m_graph->requestCount(id), 1); // permanent: not retried
    // The history keeps Meta's trace id for support.
    LeadLogStore store(m_db->sql());
    QString error;
    const QList<HistoryEvent> history = store.history(e.id, &error);
    QVERIFY2(history.constLast().message.contains(QLatin1String("fbtrace")),
             qPrintable(history.constLast().message));

    // Fixed on Meta's side (token renewed): processing again succeeds.
    ReprocessJob job(*m_engine, {e.id}, ProcessOptions{});
    QSignalSpy finished(&job, &ReprocessJob::finished);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(entry(id).status, LeadStatus::Processed);
}

void TestProcessingPipeline::transientFailureIsRetriedThenProcessed()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000005");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    m_graph->failLead(id, 2, 500, 2);
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 15000);
    const LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Processed);
    QCOMPARE(m_graph->requestCount(id), 3);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM leads")), 1);
}

void TestProcessingPipeline::retriesExhaustedEndInError()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000006");
    m_graph->failLead(id, -1, 400, 4); // code 4: application request limit, transient
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 15000);
    const LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Error);
    QCOMPARE(e.attempts, 3);
    QVERIFY2(e.errorMessage.contains(QLatin1String("3 attempts")), qPrintable(e.errorMessage));
    QCOMPARE(m_graph->requestCount(id), 3);
}

void TestProcessingPipeline::malformedGraphAnswerIsTransient()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000007");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    m_graph->setMalformed(id);
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(entry(id).attempts >= 1, 10000);
    m_graph->setMalformed(id, false);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 15000);
    QCOMPARE(entry(id).status, LeadStatus::Processed);
}

void TestProcessingPipeline::rateLimitedPageIsPausedWhileOtherPagesGoOn()
{
    configurePage(kPage);
    configurePage(kOtherPage, true, true, QStringLiteral("Beta Windows"));
    const QString limited = QStringLiteral("1000000000000000008");
    const QString other = QStringLiteral("1000000000000000009");
    m_graph->setLead(limited, graphLeadJson(limited, goodAnswers(), kForm));
    m_graph->setLead(other, graphLeadJson(other, goodAnswers(), kForm));
    const QByteArray usage = R"({"1029384756473829":[{"type":"pages","call_count":100,"total_cputime":30,"total_time":30,"estimated_time_to_regain_access":5}]})";
    m_graph->failLead(limited, 1, 400, 80005, 0, {{"X-Business-Use-Case-Usage", usage}});
    startProcessing();
    postOne(limited);
    QTRY_VERIFY_WITH_TIMEOUT(entry(limited).attempts == 1, 10000);
    const LeadLogEntry e = entry(limited);
    QCOMPARE(e.status, LeadStatus::Pending);
    QVERIFY(e.nextAttemptAtMs);
    // Meta said five minutes: the retry waits at least that long, and the page is paused.
    QVERIFY(*e.nextAttemptAtMs - QDateTime::currentMSecsSinceEpoch() > 4 * 60 * 1000);
    QVERIFY(m_dispatcher->pausedPages().contains(kPage));

    postOne(other, kOtherPage);
    QTRY_VERIFY_WITH_TIMEOUT(settled(other), 10000);
    QCOMPARE(entry(other).status, LeadStatus::Processed);
    QCOMPARE(entry(limited).status, LeadStatus::Pending);
}

void TestProcessingPipeline::validationErrorThenCorrectionOverlayThenProcessed()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000010");
    auto answers = goodAnswers();
    answers[2].second = QStringLiteral("12345");
    answers[0].second = QStringLiteral("<b>Ada</b>");
    m_graph->setLead(id, graphLeadJson(id, answers, kForm));
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    LeadLogEntry e = entry(id);
    QCOMPARE(e.status, LeadStatus::Error);
    const auto errors = nlohmann::json::parse(e.fieldErrors.toStdString());
    QCOMPARE(int(errors.size()), 2);
    QStringList fields;
    for (const auto &err : errors)
        fields << QString::fromStdString(err.at("field").get<std::string>());
    fields.sort();
    QCOMPARE(fields, (QStringList{QStringLiteral("customer_name"), QStringLiteral("phone")}));
    const QByteArray payloadBefore = e.leadPayload;
    const QByteArray rawBefore = e.rawPayload;

    // Processed again by a person before anything was corrected: the same Error, and the history
    // shows the try (automatic retries that change nothing do not).
    const QString historyOfIt = QStringLiteral("SELECT COUNT(*) FROM lead_log_history WHERE lead_log_id = %1")
                                    .arg(e.id);
    const int historyBefore = count(historyOfIt);
    {
        ReprocessJob again(*m_engine, {e.id}, ProcessOptions{});
        QSignalSpy done(&again, &ReprocessJob::finished);
        again.start();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    }
    QCOMPARE(entry(id).status, LeadStatus::Error);
    QCOMPARE(count(historyOfIt), historyBefore + 1);
    QCOMPARE(count(historyOfIt + QStringLiteral(" AND message LIKE 'Processed again, same result: %'")), 1);

    ProcessingStore store(m_db->sql());
    QString error;
    QVERIFY2(store.addCorrection(id, QStringLiteral("field:phone"), QStringLiteral("+1 650 253 0000"),
                                 QStringLiteral("maria"), &error),
             qPrintable(error));
    QVERIFY2(store.addCorrection(id, QStringLiteral("question:full_name"), QStringLiteral("Ada Lovelace"),
                                 QStringLiteral("maria"), &error),
             qPrintable(error));
    e = entry(id);
    ReprocessJob job(*m_engine, {e.id}, ProcessOptions{});
    QSignalSpy finished(&job, &ReprocessJob::finished);
    job.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    e = entry(id);
    QCOMPARE(e.status, LeadStatus::Processed);
    QCOMPARE(e.leadPayload, payloadBefore); // the original payloads are never overwritten
    QCOMPARE(e.rawPayload, rawBefore);
    QCOMPARE(m_graph->requestCount(id), 1); // the stored payload was reused, not fetched again
    LeadStore leads(m_db->sql());
    const auto lead = leads.byLeadgenId(id, &error);
    QVERIFY(lead);
    QCOMPARE(lead->phone, QStringLiteral("+16502530000"));
    QCOMPARE(lead->customerName, QStringLiteral("Ada Lovelace"));
}

void TestProcessingPipeline::reprocessingTwiceNeverMakesASecondLead()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000011");
    m_graph->setLead(id, graphLeadJson(id, goodAnswers(), kForm));
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    QCOMPARE(entry(id).status, LeadStatus::Processed);
    ProcessingStore store(m_db->sql());
    QString error;
    for (int round = 0; round < 2; ++round) {
        QVERIFY2(store.markLoss(id, QStringLiteral("testing"), QStringLiteral("qa"), &error),
                 qPrintable(error));
        ProcessOptions options;
        options.refetch = true;
        ReprocessJob job(*m_engine, {entry(id).id}, options);
        QSignalSpy finished(&job, &ReprocessJob::finished);
        job.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(entry(id).status, LeadStatus::Processed);
    }
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM leads")), 1);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox")), 1);
    QCOMPARE(m_graph->requestCount(id), 3);
}

void TestProcessingPipeline::lossAndRestore()
{
    configurePage(kPage);
    const QString id = QStringLiteral("1000000000000000012");
    m_graph->failLead(id, -1, 400, 100, 33);
    startProcessing();
    postOne(id);
    QTRY_VERIFY_WITH_TIMEOUT(settled(id), 10000);
    QCOMPARE(entry(id).status, LeadStatus::Error);
    ProcessingStore store(m_db->sql());
    QString error;
    QVERIFY(!store.markLoss(id, QStringLiteral("  "), QStringLiteral("qa"), &error));
    QVERIFY2(error.contains(QLatin1String("reason")), qPrintable(error));
    QVERIFY2(store.markLoss(id, QStringLiteral("No valid contact"), QStringLiteral("maria"), &error),
             qPrintable(error));
    QCOMPARE(entry(id).status, LeadStatus::Loss);
    QVERIFY2(store.restoreFromLoss(id, QStringLiteral("maria"), &error), qPrintable(error));
    QCOMPARE(entry(id).status, LeadStatus::Error);
    LeadLogStore log(m_db->sql());
    const QList<HistoryEvent> history = log.history(entry(id).id, &error);
    QCOMPARE(history.at(history.size() - 2).message, QStringLiteral("Marked as Loss: No valid contact"));
    QCOMPARE(history.constLast().actor, QStringLiteral("maria"));
}

void TestProcessingPipeline::pendingLeadsAreProcessedAfterARestart()
{
    configurePage(kPage);
    QList<LeadgenChange> changes;
    for (int i = 0; i < 20; ++i) {
        LeadgenChange c;
        c.leadgenId = QStringLiteral("20000000000000000%1").arg(i, 2, 10, QLatin1Char('0'));
        c.formId = kForm;
        m_graph->setLead(c.leadgenId, graphLeadJson(c.leadgenId, goodAnswers(), kForm));
        changes << c;
    }
    post(changes); // stored while nothing processes (as after a crash)
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = 'pending'")), 20);
    startProcessing();
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = "
                                                   "'processed'")),
                              20, 15000);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM leads")), 20);
}

void TestProcessingPipeline::bulkReprocessReportsProgressAndCanBeCancelled()
{
    configurePage(kPage);
    QList<LeadgenChange> changes;
    for (int i = 0; i < 60; ++i) {
        LeadgenChange c;
        c.leadgenId = QStringLiteral("30000000000000000%1").arg(i, 2, 10, QLatin1Char('0'));
        c.formId = kForm;
        m_graph->failLead(c.leadgenId, 1, 400, 190, 463);
        m_graph->setLead(c.leadgenId, graphLeadJson(c.leadgenId, goodAnswers(), kForm));
        changes << c;
    }
    startProcessing(2);
    post(changes);
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = "
                                                   "'error'")),
                              60, 20000);
    m_dispatcher->stop();

    QString error;
    const QList<qint64> ids = ReprocessJob::resolve(m_store->databasePath(),
                                                    {{LeadStatus::Error}, kPage, {}, {}, {}, {}}, &error);
    QCOMPARE(ids.size(), 60);
    m_graph->setDelayMs(30);
    ReprocessJob job(*m_engine, ids, ProcessOptions{});
    QSignalSpy progress(&job, &ReprocessJob::progress);
    QSignalSpy finished(&job, &ReprocessJob::finished);
    job.start();
    QTRY_VERIFY2_WITH_TIMEOUT(job.summary().processed >= 6, qPrintable(job.summary().describe() + QStringLiteral(" graph requests: %1").arg(m_graph->requestCount())), 10000);
    job.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const ReprocessSummary summary = job.summary();
    QVERIFY(summary.cancelled);
    QVERIFY2(summary.processed < 60, qPrintable(summary.describe()));
    QCOMPARE(summary.done(), summary.total);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = 'processed'")),
             summary.processed);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = 'error'")),
             60 - summary.processed);
    QVERIFY(progress.size() >= 2);
    QVERIFY(summary.describe().contains(QLatin1String("cancelled")));

    // The rest, uncancelled: everything ends Processed, still one Lead each.
    ReprocessJob rest(*m_engine,
                      ReprocessJob::resolve(m_store->databasePath(), {{LeadStatus::Error}, {}, {}, {}, {}, {}}, &error),
                      ProcessOptions{});
    QSignalSpy restFinished(&rest, &ReprocessJob::finished);
    rest.start();
    QTRY_COMPARE_WITH_TIMEOUT(restFinished.size(), 1, 20000);
    QCOMPARE(rest.summary().processed, 60 - summary.processed);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM leads")), 60);
}

// "Process all matching" a search for a phone number typed the way it is dialled at home finds the
// leads the desk shows for it: with the default phone region's country code.
void TestProcessingPipeline::processAllMatchingFindsAPhoneAsDialled()
{
    QSqlQuery q(m_db->sql());
    QVERIFY2(q.exec(QStringLiteral(
                 "INSERT INTO lead_log (leadgen_id, page_id, form_id, received_at, status, source, "
                 "raw_payload, updated_at) VALUES ('1000000000000000077', '%1', '%2', 1, 'error', "
                 "'webhook', '{}', 1)").arg(kPage, kForm)),
             qPrintable(q.lastError().text()));
    QVERIFY2(q.exec(QStringLiteral("UPDATE lead_log SET display_phone = '+15125550123' "
                                   "WHERE leadgen_id = '1000000000000000077'")),
             qPrintable(q.lastError().text()));
    ReprocessSelection selection;
    DeskFilter filter;
    filter.text = QStringLiteral("(512) 555-0123");
    selection.filter = filter;
    QString error;
    QCOMPARE(ReprocessJob::resolve(m_store->databasePath(), selection, &error).size(), 0);
    selection.phoneRegion = QStringLiteral("US");
    QCOMPARE(ReprocessJob::resolve(m_store->databasePath(), selection, &error).size(), 1);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestProcessingPipeline)
#include "tst_processing_pipeline.moc"
