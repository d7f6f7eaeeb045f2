// Processing through the real `leadkeeper serve`, as ops runs it: a subprocess with a clean
// environment (LEADKEEPER_* variables only), a database prepared in-process, page tokens in the
// owner-only secrets file, signed webhook POSTs over loopback, and a FakeGraphServer that speaks
// Meta's wire format. Each lead is followed through the real path (listener → lead log →
// dispatcher → workers → Graph fetch → mapping → Lead + outbox) by polling the database.
// Covers a mixed batch reaching every status, transient Graph failures and exhausted retries,
// kill -9 while leads are in hand and a restart on the same database, and SIGTERM.

#include "acme_sample.h"
#include "fake_graph_server.h"
#include "http_test_client.h"
#include "leadkeeper_process.h"
#include "processing_sandbox.h"
#include "webhook_bodies.h"

#include <QSet>
#include <QTest>

#include <nlohmann/json.hpp>

#include <csignal>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QString kBoltPage = QStringLiteral("1029384756470002"); // disabled
const QString kBoltForm = QStringLiteral("5647382910560002");
const QString kCedarPage = QStringLiteral("1029384756470003"); // its token has expired
const QString kCedarForm = QStringLiteral("5647382910560003");
const QString kUnknownPage = QStringLiteral("1029384756479999");

const QByteArray kBoltToken = "EAAbolt-page-token";
const QByteArray kCedarToken = "EAAcedar-page-token";

constexpr int kLongWaitMs = 90000;

/// A lead as Graph returns it, with 19-digit attribution ids.
QByteArray graphLead(const QString &leadgenId, const QString &formId, const QString &phone,
                     const QString &fullName = QStringLiteral("jane doe"))
{
    return attributedLead(leadgenId, formId,
                          {{QStringLiteral("full_name"), {fullName}},
                           {QStringLiteral("phone_number"), {phone}},
                           {QStringLiteral("email"), {QStringLiteral("jane.doe@example.com")}}});
}

LeadgenChange change(const QString &leadgenId, const QString &pageId, const QString &formId)
{
    LeadgenChange c;
    c.leadgenId = leadgenId;
    c.pageId = pageId;
    c.formId = formId;
    c.adId = kAdId;
    c.adgroupId = kAdsetId;
    return c;
}

/// One webhook entry per page, in first-seen order, as Meta batches them.
QByteArray batchBody(const QList<LeadgenChange> &changes)
{
    QList<WebhookEntry> entries;
    for (const LeadgenChange &c : changes) {
        auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const WebhookEntry &e) { return e.pageId == c.pageId; });
        if (it == entries.end()) {
            WebhookEntry e;
            e.pageId = c.pageId;
            entries << e;
            it = std::prev(entries.end());
        }
        it->changes << c;
    }
    return webhookBody(entries);
}

/// A member of a JSON object as JSON text ("null" when absent).
QString dumped(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    return QString::fromStdString(it == object.end() ? std::string("null") : it->dump());
}

QString quoted(const QString &text)
{
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString leadId(int n)
{
    return QStringLiteral("24050000000%1").arg(n, 5, 10, QLatin1Char('0'));
}

} // namespace

class TestServeProcessing : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ProcessingSandbox> m_box;
    std::unique_ptr<FakeGraphServer> m_graph;
    QProcessEnvironment m_env;

    bool startServe(ServeProcess &serve)
    {
        if (serve.start({}, m_env))
            return true;
        qWarning().noquote() << "serve did not start:" << serve.stderrText();
        return false;
    }

    bool post(const ServeProcess &serve, const QByteArray &body)
    {
        HttpTestClient client(serve.host(), serve.port());
        if (!client.connectToServer())
            return false;
        const HttpResponse r = client.postWebhook(body, ProcessingSandbox::kAppSecret, 30000);
        if (r.status != 200)
            qWarning() << "webhook answered" << r.status << r.body;
        return r.status == 200;
    }

    qint64 pending() { return m_box->statusCount(QStringLiteral("pending")); }
    qint64 total() { return m_box->count(QStringLiteral("SELECT COUNT(*) FROM lead_log")); }

    /// Every Processed entry has exactly its own Lead and one call dispatch; nothing else does.
    void verifyLeadsConsistent()
    {
        const qint64 processed = m_box->statusCount(QStringLiteral("processed"));
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM leads")), processed);
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM lead_log l JOIN leads d ON "
                                             "d.id = l.lead_id AND d.leadgen_id = l.leadgen_id "
                                             "WHERE l.status = 'processed'")),
                 processed);
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status <> "
                                             "'processed' AND lead_id IS NOT NULL")),
                 0);
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(*) FROM outbox WHERE kind = 'call_dispatch'")),
                 processed);
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(DISTINCT lead_id) FROM outbox")),
                 processed);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(leadkeeperBinary()), "set LEADKEEPER_BINARY"); }

    void init()
    {
        m_box = std::make_unique<ProcessingSandbox>();
        QVERIFY(m_box->isValid());
        m_graph = std::make_unique<FakeGraphServer>();
        QVERIFY(m_graph->isListening());
        // Only the pages' own tokens are accepted: a lead that ends Processed proves the child
        // read its page's token from the secrets file.
        m_graph->addAcceptedToken(kAcmeToken);
        m_graph->addAcceptedToken(kBoltToken);
        m_graph->addAcceptedToken(kCedarToken);

        FormMapping acme = ProcessingSandbox::contactForm(kAcmeForm, QStringLiteral("Roof check"));
        QVERIFY(m_box->addPage(ProcessingSandbox::page(kAcmePage, QStringLiteral("Acme Roofing")),
                               {acme}, QString::fromLatin1(kAcmeToken)));
        QVERIFY(m_box->addPage(
            ProcessingSandbox::page(kBoltPage, QStringLiteral("Bolt Plumbing"), false),
            {ProcessingSandbox::contactForm(kBoltForm, QStringLiteral("Leak call"))},
            QString::fromLatin1(kBoltToken)));
        QVERIFY(
            m_box->addPage(ProcessingSandbox::page(kCedarPage, QStringLiteral("Cedar Windows")),
                           {ProcessingSandbox::contactForm(kCedarForm, QStringLiteral("Quote"))},
                           QString::fromLatin1(kCedarToken)));

        m_env = cleanEnvironment(m_box->home());
        m_box->apply(m_env, m_graph->baseUrl());
    }

    void cleanup()
    {
        m_box.reset();
        m_graph.reset();
    }

    void mixedBatchReachesEveryStatus()
    {
        const QString ok = leadId(1), unknownPage = leadId(2), unmapped = leadId(3),
                      disabled = leadId(4), badPhone = leadId(5), notFound = leadId(6),
                      expired = leadId(7);
        m_graph->setLead(ok, graphLead(ok, kAcmeForm, QStringLiteral("+1 650-253-0000")));
        m_graph->setLead(unknownPage,
                         graphLead(unknownPage, kAcmeForm, QStringLiteral("+1 650-253-0000")));
        m_graph->setLead(unmapped,
                         graphLead(unmapped, kUnmappedForm, QStringLiteral("+1 650-253-0000")));
        m_graph->setLead(disabled,
                         graphLead(disabled, kBoltForm, QStringLiteral("+1 650-253-0000")));
        m_graph->setLead(badPhone, graphLead(badPhone, kAcmeForm, QStringLiteral("12345")));
        // notFound is never set: Graph answers its real 100/33.
        m_graph->setLead(expired,
                         graphLead(expired, kCedarForm, QStringLiteral("+1 650-253-0000")));
        m_graph->failLead(expired, -1, 400, 190, 463);

        ServeProcess serve;
        QVERIFY(startServe(serve));
        QVERIFY(post(
            serve,
            batchBody(
                {change(ok, kAcmePage, kAcmeForm), change(unknownPage, kUnknownPage, kAcmeForm),
                 change(unmapped, kAcmePage, kUnmappedForm), change(disabled, kBoltPage, kBoltForm),
                 change(badPhone, kAcmePage, kAcmeForm), change(notFound, kAcmePage, kAcmeForm),
                 change(expired, kCedarPage, kCedarForm)})));
        // Stored and committed before the 200.
        QCOMPARE(total(), 7);
        QTRY_COMPARE_WITH_TIMEOUT(pending(), 0, kLongWaitMs);

        QCOMPARE(m_box->status(ok), QStringLiteral("processed"));
        QCOMPARE(m_box->status(unknownPage), QStringLiteral("unconfigured"));
        QCOMPARE(m_box->status(unmapped), QStringLiteral("unconfigured"));
        QCOMPARE(m_box->status(disabled), QStringLiteral("disabled"));
        QCOMPARE(m_box->status(badPhone), QStringLiteral("error"));
        QCOMPARE(m_box->status(notFound), QStringLiteral("error"));
        QCOMPARE(m_box->status(expired), QStringLiteral("error"));

        // The Processed lead: exactly one Lead, phone in E.164, exact attribution ids.
        const QList<QVariantList> leads = m_box->rows(QStringLiteral(
            "SELECT id, leadgen_id, customer_name, phone, email, attribution, source "
            "FROM leads"));
        QCOMPARE(leads.size(), 1);
        const QVariantList &lead = leads.constFirst();
        QCOMPARE(lead.at(1).toString(), ok);
        QCOMPARE(lead.at(2).toString(), QStringLiteral("jane doe"));
        QCOMPARE(lead.at(3).toString(), QStringLiteral("+16502530000"));
        QCOMPARE(lead.at(4).toString(), QStringLiteral("jane.doe@example.com"));
        QCOMPARE(lead.at(6).toString(), QStringLiteral("meta_ads"));
        const auto attribution =
            nlohmann::json::parse(lead.at(5).toString().toStdString(), nullptr, false);
        QVERIFY2(attribution.is_object(), qPrintable(lead.at(5).toString()));
        // Ids as JSON strings with every digit (dumped, so a number would show without quotes).
        QCOMPARE(dumped(attribution, "ad_id"), quoted(kAdId));
        QCOMPARE(dumped(attribution, "adset_id"), quoted(kAdsetId));
        QCOMPARE(dumped(attribution, "campaign_id"), quoted(kCampaignId));
        QCOMPARE(dumped(attribution, "form_id"), quoted(kAcmeForm));
        QCOMPARE(dumped(attribution, "platform"), QStringLiteral("\"facebook\""));
        QCOMPARE(dumped(attribution, "organic"), QStringLiteral("false"));
        QVERIFY2(dumped(attribution, "page_id") == quoted(kAcmePage),
                 qPrintable(QStringLiteral("attribution page_id should be the lead's page: %1")
                                .arg(lead.at(5).toString())));
        QCOMPARE(m_box->column(ok, QStringLiteral("lead_id")).toLongLong(),
                 lead.at(0).toLongLong());

        const QList<QVariantList> outbox =
            m_box->rows(QStringLiteral("SELECT lead_id, kind, payload, status FROM outbox"));
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.constFirst().at(0).toLongLong(), lead.at(0).toLongLong());
        QCOMPARE(outbox.constFirst().at(1).toString(), QStringLiteral("call_dispatch"));
        QCOMPARE(outbox.constFirst().at(3).toString(), QStringLiteral("queued"));
        const auto dispatch = nlohmann::json::parse(
            outbox.constFirst().at(2).toString().toStdString(), nullptr, false);
        QCOMPARE(dumped(dispatch, "to_number"), QStringLiteral("\"+16502530000\""));

        // Unconfigured and Disabled are decided before Meta is asked anything.
        QCOMPARE(m_graph->requestCount(unknownPage), 0);
        QCOMPARE(m_graph->requestCount(unmapped), 0);
        QCOMPARE(m_graph->requestCount(disabled), 0);
        const QString noPage =
            m_box->column(unknownPage, QStringLiteral("error_message")).toString();
        QVERIFY2(noPage.contains(kUnknownPage), qPrintable(noPage));
        const QString noForm = m_box->column(unmapped, QStringLiteral("error_message")).toString();
        QVERIFY2(noForm.contains(kUnmappedForm) && noForm.contains(QStringLiteral("Acme Roofing")),
                 qPrintable(noForm));
        const QString off = m_box->column(disabled, QStringLiteral("error_message")).toString();
        QVERIFY2(off.contains(QStringLiteral("Bolt Plumbing")) &&
                     off.contains(QStringLiteral("disabled")),
                 qPrintable(off));

        // Bad phone: one structured error naming the phone field and the value as received.
        const auto fieldErrors = nlohmann::json::parse(
            m_box->column(badPhone, QStringLiteral("field_errors")).toString().toStdString(),
            nullptr, false);
        QVERIFY(fieldErrors.is_array());
        QCOMPARE(int(fieldErrors.size()), 1);
        QCOMPARE(dumped(fieldErrors.at(0), "field"), QStringLiteral("\"phone\""));
        QCOMPARE(dumped(fieldErrors.at(0), "value"), QStringLiteral("\"12345\""));
        QCOMPARE(dumped(fieldErrors.at(0), "rule"), QStringLiteral("\"phone\""));
        QVERIFY(!m_box->column(badPhone, QStringLiteral("error_message")).toString().isEmpty());
        // Its Graph payload is kept, so a correction needs no second fetch.
        QVERIFY(!m_box->column(badPhone, QStringLiteral("lead_payload")).toString().isEmpty());

        // Not found (100/33): a sentence a person can act on.
        const QString missing = m_box->column(notFound, QStringLiteral("error_message")).toString();
        QVERIFY2(missing.contains(QStringLiteral("100/33")) &&
                     missing.contains(QStringLiteral("Acme Roofing")) &&
                     missing.contains(QStringLiteral("reprocess")),
                 qPrintable(missing));

        // Expired token (190/463): names the page and says to renew the token.
        const QString renew = m_box->column(expired, QStringLiteral("error_message")).toString();
        QVERIFY2(renew.contains(QStringLiteral("Cedar Windows")) &&
                     renew.contains(QStringLiteral("expired")) &&
                     renew.contains(QStringLiteral("Renew")) &&
                     renew.contains(QStringLiteral("190/463")),
                 qPrintable(renew));
        // Permanent failures are not retried.
        QCOMPARE(m_graph->requestCount(expired), 1);
        QCOMPARE(m_graph->requestCount(notFound), 1);
        // The page token travelled, and it is not in any stored message.
        QVERIFY(
            m_box->count(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE error_message LIKE ?"),
                         {QStringLiteral("%EAA%")}) == 0);

        // Every status change has its history row.
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(DISTINCT lead_log_id) FROM lead_log_history "
                                    "WHERE from_status = 'pending' AND to_status <> 'pending'")),
                 7);
        verifyLeadsConsistent();

        // Meta delivers the processed lead again: counted, not processed or fetched a second time.
        QVERIFY(post(serve, batchBody({change(ok, kAcmePage, kAcmeForm)})));
        QCOMPARE(m_box->column(ok, QStringLiteral("deliveries")).toInt(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(serve.stderrText().contains(QStringLiteral("redelivery")),
                                 kLongWaitMs);
        QCOMPARE(m_box->status(ok), QStringLiteral("processed"));
        QCOMPARE(m_graph->requestCount(ok), 1);
        QCOMPARE(total(), 7);
        verifyLeadsConsistent();

        QVERIFY(serve.sendSignal(SIGTERM));
        QCOMPARE(serve.waitForExit(), std::optional<int>(0));
        QVERIFY2(!serve.stderrText().contains(QString::fromLatin1(kAcmeToken)),
                 "a token reached the log");
    }

    void transientFailuresAreRetried()
    {
        const QString recovers = leadId(11), exhausted = leadId(12);
        m_graph->setLead(recovers,
                         graphLead(recovers, kAcmeForm, QStringLiteral("+1 650-253-0000")));
        m_graph->setLead(exhausted,
                         graphLead(exhausted, kAcmeForm, QStringLiteral("+1 650-253-0000")));
        m_graph->failLead(recovers, 2, 500, 2);   // two temporary Graph failures, then the lead
        m_graph->failLead(exhausted, -1, 500, 1); // never recovers

        ServeProcess serve;
        QVERIFY(startServe(serve));
        QVERIFY(post(serve, batchBody({change(recovers, kAcmePage, kAcmeForm),
                                       change(exhausted, kAcmePage, kAcmeForm)})));
        QTRY_COMPARE_WITH_TIMEOUT(pending(), 0, kLongWaitMs);

        QCOMPARE(m_box->status(recovers), QStringLiteral("processed"));
        QCOMPARE(m_graph->requestCount(recovers), 3);
        QCOMPARE(m_box->column(recovers, QStringLiteral("attempts")).toInt(), 2);
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(*) FROM lead_log_history h JOIN lead_log l ON "
                                    "l.id = h.lead_log_id WHERE l.leadgen_id = ? AND "
                                    "h.from_status = 'pending' AND h.to_status = 'pending' AND "
                                    "h.message LIKE 'Graph API transient error 2%'"),
                     {recovers}),
                 2);
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM leads WHERE leadgen_id = ?"),
                              {recovers}),
                 1);

        // LEADKEEPER_MAX_ATTEMPTS=3: three fetches, then Error (a dead letter, reprocessable).
        QCOMPARE(m_box->status(exhausted), QStringLiteral("error"));
        QCOMPARE(m_graph->requestCount(exhausted), 3);
        QCOMPARE(m_box->column(exhausted, QStringLiteral("attempts")).toInt(), 3);
        const QString message =
            m_box->column(exhausted, QStringLiteral("error_message")).toString();
        QVERIFY2(message.contains(QStringLiteral("3 attempts")), qPrintable(message));
        QVERIFY(m_box->column(exhausted, QStringLiteral("next_attempt_at")).isNull());
        verifyLeadsConsistent();

        QVERIFY(serve.sendSignal(SIGTERM));
        QCOMPARE(serve.waitForExit(), std::optional<int>(0));
    }

    void killedWorkersRecoverWithoutDuplicates()
    {
        constexpr int kLeads = 30;
        QList<LeadgenChange> changes;
        for (int i = 0; i < kLeads; ++i) {
            const QString id = leadId(100 + i);
            m_graph->setLead(
                id, graphLead(id, kAcmeForm, QStringLiteral("+1 650-253-%1").arg(1000 + i)));
            changes << change(id, kAcmePage, kAcmeForm);
        }
        m_graph->setDelayMs(300); // each fetch keeps its lead in hand for a while
        m_env.insert(QStringLiteral("LEADKEEPER_CONCURRENCY"), QStringLiteral("4"));

        {
            ServeProcess serve;
            QVERIFY(startServe(serve));
            QVERIFY(post(serve, batchBody(changes)));
            QCOMPARE(total(), kLeads);
            // Some leads are done and others are in hand: that is when the power goes.
            QTRY_VERIFY_WITH_TIMEOUT(m_box->statusCount(QStringLiteral("processed")) >= 1,
                                     kLongWaitMs);
            QVERIFY(serve.sendSignal(SIGKILL));
            QVERIFY(!serve.waitForExit().has_value());
            QCOMPARE(serve.exitStatus(), QProcess::CrashExit);
        }
        const qint64 processedBefore = m_box->statusCount(QStringLiteral("processed"));
        qInfo() << "killed with" << processedBefore << "processed," << pending() << "pending,"
                << m_graph->requestCount() << "fetches started";
        QVERIFY2(pending() > 0, "every lead was done before the kill; the test proves nothing");
        QCOMPARE(processedBefore + pending(), qint64(kLeads));
        verifyLeadsConsistent();

        // The same database, a new process: it finds the Pending leads again by itself.
        m_graph->setDelayMs(20);
        ServeProcess again;
        QVERIFY(startServe(again));
        QTRY_COMPARE_WITH_TIMEOUT(m_box->statusCount(QStringLiteral("processed")), qint64(kLeads),
                                  kLongWaitMs);
        QCOMPARE(pending(), 0);
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM leads")), qint64(kLeads));
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(DISTINCT leadgen_id) FROM leads")),
                 qint64(kLeads));
        QCOMPARE(m_box->count(QStringLiteral("SELECT COUNT(*) FROM outbox")), qint64(kLeads));
        verifyLeadsConsistent();
        // No phone went to the wrong Lead.
        QCOMPARE(
            m_box->count(QStringLiteral("SELECT COUNT(*) FROM leads WHERE phone = '+1650253' || "
                                        "(1000 + CAST(substr(leadgen_id, -3) AS INTEGER) - 100)")),
            qint64(kLeads));

        QVERIFY(again.sendSignal(SIGTERM));
        QCOMPARE(again.waitForExit(), std::optional<int>(0));
    }

    void sigtermLetsLeadsInHandFinish()
    {
        constexpr int kLeads = 12;
        QList<LeadgenChange> changes;
        QStringList ids;
        for (int i = 0; i < kLeads; ++i) {
            const QString id = leadId(200 + i);
            ids << id;
            m_graph->setLead(id, graphLead(id, kAcmeForm, QStringLiteral("+1 650-253-0000")));
            changes << change(id, kAcmePage, kAcmeForm);
        }
        m_graph->setDelayMs(800);
        m_env.insert(QStringLiteral("LEADKEEPER_CONCURRENCY"), QStringLiteral("3"));

        ServeProcess serve;
        QVERIFY(startServe(serve));
        QVERIFY(post(serve, batchBody(changes)));
        QTRY_VERIFY_WITH_TIMEOUT(m_graph->requestCount() >= 1, kLongWaitMs);
        QVERIFY(serve.sendSignal(SIGTERM));
        // What Meta was asked for before the signal was in hand.
        QSet<QString> inHand;
        for (const QString &id : std::as_const(ids))
            if (m_graph->requestCount(id) > 0)
                inHand << id;
        QVERIFY(!inHand.isEmpty());
        QCOMPARE(serve.waitForExit(), std::optional<int>(0));
        QVERIFY2(serve.stderrText().contains(QStringLiteral("stopped")),
                 qPrintable(serve.stderrText()));

        // Nothing half-written: each lead is Pending, or Processed with its Lead.
        QCOMPARE(m_box->statusCount(QStringLiteral("pending")) +
                     m_box->statusCount(QStringLiteral("processed")),
                 qint64(kLeads));
        verifyLeadsConsistent();
        // The leads in hand were finished, not dropped.
        for (const QString &id : std::as_const(inHand))
            QVERIFY2(m_box->status(id) == QLatin1String("processed"), qPrintable(id));
        // The others wait, untouched, for the next start.
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = 'pending' AND "
                                    "(attempts <> 0 OR error_message <> '')")),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestServeProcessing)
#include "tst_serve_processing.moc"
