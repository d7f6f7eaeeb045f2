// The processing commands as staff and ops run them: `leadkeeper process`, `correct`, `loss` and
// `leads` as subprocesses of the real executable, in a clean environment, against a database the
// test prepares in-process (pages, forms, leads stored as the listener stores them and processed
// once by the engine itself) and a FakeGraphServer for every fetch.

#include "acme_sample.h"
#include "fake_graph_server.h"
#include "leadkeeper_process.h"
#include "meta/graph_client.h"
#include "processing/lead_processor.h"
#include "processing_sandbox.h"
#include "store/lead_log_store.h"

#include <QDateTime>
#include <QTest>

#include <csignal>

#include <nlohmann/json.hpp>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

const QString kDeltaPage = QStringLiteral("1029384756470004");
const QString kDeltaForm = QStringLiteral("5647382910560004");

const QByteArray kDeltaToken = "EAAdelta-page-token";

const QString kGoodPhone = QStringLiteral("+1 650-253-0000");

QByteArray graphLead(const QString &leadgenId, const QString &formId, const QString &phone,
                     const QString &firstName = QStringLiteral("Jane"))
{
    return attributedLead(leadgenId, formId,
                          {{QStringLiteral("first_name"), {firstName}},
                           {QStringLiteral("last_name"), {QStringLiteral("Doe")}},
                           {QStringLiteral("phone_number"), {phone}},
                           {QStringLiteral("email"), {QStringLiteral("jane.doe@example.com")}}});
}

/// The fields of one CSV record (RFC 4180: quoted fields, "" for a quote).
QStringList csvFields(const QString &line)
{
    QStringList fields;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() &&
                line.at(i + 1) == QLatin1Char('"')) {
                current += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << current;
            current.clear();
        } else {
            current += c;
        }
    }
    fields << current;
    return fields;
}

} // namespace

class TestProcessingCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ProcessingSandbox> m_box;
    std::unique_ptr<FakeGraphServer> m_graph;
    QProcessEnvironment m_env;

    CliResult run(const QStringList &arguments)
    {
        const CliResult r = runLeadkeeper(arguments, m_env, 90000);
        if (!r.finished)
            qWarning().noquote() << "leadkeeper" << arguments.join(QLatin1Char(' '))
                                 << "did not finish:" << r.err;
        return r;
    }

    /// Stores leads as the listener does (webhook source, no lead payload yet).
    bool store(const QList<std::pair<QString, std::pair<QString, QString>>> &leads)
    {
        QList<IncomingLead> incoming;
        for (const auto &[leadgenId, where] : leads) {
            IncomingLead l;
            l.leadgenId = leadgenId;
            l.pageId = where.first;
            l.formId = where.second;
            l.adId = kAdId;
            l.adgroupId = kAdsetId;
            l.createdAtMs = 1763800000000;
            l.source = LeadSource::Webhook;
            l.rawPayload = QStringLiteral(R"({"leadgen_id":"%1","page_id":"%2","form_id":"%3"})")
                               .arg(leadgenId, where.first, where.second)
                               .toUtf8();
            incoming << l;
        }
        LeadLogStore log(m_box->sql());
        QString error;
        if (!log.storeDelivery(incoming, QDateTime::currentMSecsSinceEpoch(), &error)) {
            qWarning() << error;
            return false;
        }
        return true;
    }

    /// Processes Pending leads once with the engine's own LeadProcessor (as serve would).
    bool processInProcess(const QStringList &leadgenIds)
    {
        GraphClient graph(m_graph->baseUrl(), QStringLiteral("v24.0"), 20000);
        SecretStore secrets = m_box->secrets();
        RetryPolicy policy;
        policy.maxAttempts = 1; // a transient failure ends as Error at once
        LeadProcessor processor(m_box->sql(), graph, secrets, policy);
        for (const QString &id : leadgenIds) {
            const qint64 entry = m_box->column(id, QStringLiteral("id")).toLongLong();
            const LeadProcessor::Result r = processor.process(entry, ProcessOptions{});
            if (entry <= 0 || !r.error.isEmpty() ||
                r.write != ProcessingStore::WriteResult::Written) {
                qWarning().noquote() << "cannot process" << id << "in-process:" << r.error;
                return false;
            }
        }
        return true;
    }

    qint64 leadsOf(const QString &leadgenId)
    {
        return m_box->count(QStringLiteral("SELECT COUNT(*) FROM leads WHERE leadgen_id = ?"),
                            {leadgenId});
    }
    qint64 outboxOf(const QString &leadgenId)
    {
        return m_box->count(
            QStringLiteral("SELECT COUNT(*) FROM outbox o JOIN leads d ON d.id = o.lead_id "
                           "WHERE d.leadgen_id = ?"),
            {leadgenId});
    }
    /// The latest history row of a lead: actor, from, to, message.
    QVariantList lastHistory(const QString &leadgenId)
    {
        const QList<QVariantList> rows = m_box->rows(
            QStringLiteral(
                "SELECT h.actor, h.from_status, h.to_status, h.message FROM lead_log_history h "
                "JOIN lead_log l ON l.id = h.lead_log_id WHERE l.leadgen_id = ? "
                "ORDER BY h.at DESC, h.id DESC LIMIT 1"),
            {leadgenId});
        return rows.isEmpty() ? QVariantList() : rows.constFirst();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(leadkeeperBinary()), "set LEADKEEPER_BINARY"); }

    void init()
    {
        m_box = std::make_unique<ProcessingSandbox>();
        QVERIFY(m_box->isValid());
        m_graph = std::make_unique<FakeGraphServer>(4);
        QVERIFY(m_graph->isListening());
        m_graph->addAcceptedToken(kAcmeToken);
        m_graph->addAcceptedToken(kDeltaToken);
        QVERIFY(m_box->addPage(
            ProcessingSandbox::page(kAcmePage, QStringLiteral("Acme Roofing")),
            {ProcessingSandbox::contactForm(kAcmeForm, QStringLiteral("Roof check"))},
            QString::fromLatin1(kAcmeToken)));
        QVERIFY(m_box->addPage(
            ProcessingSandbox::page(kDeltaPage, QStringLiteral("Delta Doors")),
            {ProcessingSandbox::contactForm(kDeltaForm, QStringLiteral("Door quote"))},
            QString::fromLatin1(kDeltaToken)));
        m_env = cleanEnvironment(m_box->home());
        m_box->apply(m_env, m_graph->baseUrl());
        m_env.insert(QStringLiteral("USER"), QStringLiteral("marta"));
    }

    void cleanup()
    {
        m_box.reset();
        m_graph.reset();
    }

    void processErrorsOfOnePage()
    {
        const QString notYet = QStringLiteral("2405000000000301"); // Graph 100/33 at first
        const QString badPhone = QStringLiteral("2405000000000302");
        const QString done = QStringLiteral("2405000000000303");
        const QString unmapped = QStringLiteral("2405000000000304");
        const QString otherPage = QStringLiteral("2405000000000305"); // Error, but on Delta Doors
        m_graph->setLead(badPhone, graphLead(badPhone, kAcmeForm, QStringLiteral("12345")));
        m_graph->setLead(done, graphLead(done, kAcmeForm, kGoodPhone));
        QVERIFY(store({{notYet, {kAcmePage, kAcmeForm}},
                       {badPhone, {kAcmePage, kAcmeForm}},
                       {done, {kAcmePage, kAcmeForm}},
                       {unmapped, {kAcmePage, kUnmappedForm}},
                       {otherPage, {kDeltaPage, kDeltaForm}}}));
        QVERIFY(processInProcess({notYet, badPhone, done, unmapped, otherPage}));
        QCOMPARE(m_box->status(notYet), QStringLiteral("error"));
        QCOMPARE(m_box->status(badPhone), QStringLiteral("error"));
        QCOMPARE(m_box->status(done), QStringLiteral("processed"));
        QCOMPARE(m_box->status(unmapped), QStringLiteral("unconfigured"));
        QCOMPARE(m_box->status(otherPage), QStringLiteral("error"));
        const qint64 doneVersion = m_box->column(done, QStringLiteral("updated_at")).toLongLong();
        const qint64 unmappedVersion =
            m_box->column(unmapped, QStringLiteral("updated_at")).toLongLong();

        // Access was fixed on Meta's side: the lead can be read now.
        m_graph->setLead(notYet, graphLead(notYet, kAcmeForm, kGoodPhone));
        m_graph->setLead(otherPage, graphLead(otherPage, kDeltaForm, kGoodPhone));

        const CliResult r = run({QStringLiteral("process"), QStringLiteral("--status"),
                                 QStringLiteral("error"), QStringLiteral("--page"), kAcmePage});
        QVERIFY(r.finished);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Processing 2 of 2 (100 %)")), qPrintable(r.err));
        QVERIFY2(r.out.contains(
                     QStringLiteral("2 of 2 lead(s) done: 1 processed, 1 error, 0 unconfigured, "
                                    "0 disabled")),
                 qPrintable(r.out));

        QCOMPARE(m_box->status(notYet), QStringLiteral("processed"));
        QCOMPARE(leadsOf(notYet), 1);
        QCOMPARE(m_box->status(badPhone), QStringLiteral("error"));
        QCOMPARE(leadsOf(badPhone), 0);
        // Outside the selection: untouched.
        QCOMPARE(m_box->status(otherPage), QStringLiteral("error"));
        QCOMPARE(m_graph->requestCount(otherPage), 1);
        QCOMPARE(m_box->column(done, QStringLiteral("updated_at")).toLongLong(), doneVersion);
        QCOMPARE(m_box->column(unmapped, QStringLiteral("updated_at")).toLongLong(),
                 unmappedVersion);
        // The history says who reprocessed it.
        const QVariantList last = lastHistory(notYet);
        QCOMPARE(last.value(0).toString(), QStringLiteral("marta (cli)"));
        QCOMPARE(last.value(1).toString(), QStringLiteral("error"));
        QCOMPARE(last.value(2).toString(), QStringLiteral("processed"));
    }

    void processRefusesPendingAndProcessed_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("says");
        QTest::newRow("pending") << QStringLiteral("pending") << QStringLiteral("Pending");
        QTest::newRow("processed") << QStringLiteral("processed") << QStringLiteral("Processed");
        QTest::newRow("mixed") << QStringLiteral("error,pending") << QStringLiteral("Pending");
        QTest::newRow("not a status") << QStringLiteral("broken") << QStringLiteral("not a status");
    }

    void processRefusesPendingAndProcessed()
    {
        QFETCH(QString, status);
        QFETCH(QString, says);
        const QString pendingLead = QStringLiteral("2405000000000311");
        m_graph->setLead(pendingLead, graphLead(pendingLead, kAcmeForm, kGoodPhone));
        QVERIFY(store({{pendingLead, {kAcmePage, kAcmeForm}}}));
        const qint64 version =
            m_box->column(pendingLead, QStringLiteral("updated_at")).toLongLong();

        const CliResult r = run({QStringLiteral("process"), QStringLiteral("--status"), status});
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        // Nothing was touched, nothing was fetched.
        QCOMPARE(m_box->status(pendingLead), QStringLiteral("pending"));
        QCOMPARE(m_box->column(pendingLead, QStringLiteral("updated_at")).toLongLong(), version);
        QCOMPARE(m_graph->requestCount(), 0);
    }

    void processWithNoMatchSaysSo()
    {
        const QString lead = QStringLiteral("2405000000000321");
        QVERIFY(store({{lead, {kAcmePage, kUnmappedForm}}}));
        QVERIFY(processInProcess({lead}));
        QCOMPARE(m_box->status(lead), QStringLiteral("unconfigured"));

        for (const QStringList &selection :
             {QStringList{QStringLiteral("--page"), QStringLiteral("1029384756479999")},
              QStringList{QStringLiteral("--status"), QStringLiteral("loss")},
              QStringList{QStringLiteral("--leadgen"), QStringLiteral("2405000000009999")}}) {
            const CliResult r = run(QStringList{QStringLiteral("process")} + selection);
            QVERIFY(r.finished);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(r.out.contains(QStringLiteral("nothing to process")), qPrintable(r.out));
        }
        QCOMPARE(m_box->status(lead), QStringLiteral("unconfigured"));
    }

    void reprocessingNeverMakesASecondLead()
    {
        const QString lead = QStringLiteral("2405000000000331");
        m_graph->setLead(lead, graphLead(lead, kAcmeForm, kGoodPhone));
        QVERIFY(store({{lead, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({lead}));
        QCOMPARE(m_box->status(lead), QStringLiteral("processed"));
        const qint64 leadRow = m_box->column(lead, QStringLiteral("lead_id")).toLongLong();
        QVERIFY(leadRow > 0);

        // Processed is never reprocessed directly; through Loss it may be, as often as staff like.
        for (int round = 0; round < 2; ++round) {
            const CliResult loss =
                run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead,
                     QStringLiteral("--reason"), QStringLiteral("duplicate check")});
            QVERIFY2(loss.exitCode == 0, qPrintable(loss.err));
            const CliResult again =
                run({QStringLiteral("process"), QStringLiteral("--status"), QStringLiteral("loss"),
                     QStringLiteral("--leadgen"), lead, QStringLiteral("--refetch")});
            QVERIFY(again.finished);
            QVERIFY2(again.exitCode == 0, qPrintable(again.err));
            QVERIFY2(again.out.contains(QStringLiteral("1 of 1 lead(s) done: 1 processed")),
                     qPrintable(again.out));
            QCOMPARE(m_box->status(lead), QStringLiteral("processed"));
            QCOMPARE(leadsOf(lead), 1);
            QCOMPARE(m_box->column(lead, QStringLiteral("lead_id")).toLongLong(), leadRow);
            QCOMPARE(outboxOf(lead), 1);
        }
        QCOMPARE(m_graph->requestCount(lead), 3);
    }

    void concurrentReprocessMakesOneLead()
    {
        // Two people reprocess the same failed lead at the same moment, from two terminals.
        const QString lead = QStringLiteral("2405000000000341");
        QVERIFY(store({{lead, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({lead})); // Graph 100/33: no payload stored
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        m_graph->setLead(lead, graphLead(lead, kAcmeForm, kGoodPhone));
        m_graph->setDelayMs(1500); // both fetches overlap

        QProcess first, second;
        for (QProcess *p : {&first, &second}) {
            p->setProcessEnvironment(m_env);
            p->start(leadkeeperBinary(),
                     {QStringLiteral("process"), QStringLiteral("--leadgen"), lead});
            QVERIFY(p->waitForStarted(30000));
        }
        for (QProcess *p : {&first, &second}) {
            QVERIFY(p->waitForFinished(90000));
            const QString out = QString::fromUtf8(p->readAllStandardOutput());
            const QString err = QString::fromUtf8(p->readAllStandardError());
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                     qPrintable(out + err));
            qInfo().noquote() << "one of the two:" << out.trimmed();
            // One of them processes it; the other finds it changed meanwhile (or done).
            QVERIFY2(out.contains(QStringLiteral("1 processed")) ||
                         out.contains(QStringLiteral("1 skipped")) ||
                         out.contains(QStringLiteral("nothing to process")),
                     qPrintable(out));
        }
        QCOMPARE(m_box->status(lead), QStringLiteral("processed"));
        QCOMPARE(leadsOf(lead), 1);
        QCOMPARE(outboxOf(lead), 1);
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(*) FROM lead_log_history h JOIN lead_log l ON "
                                    "l.id = h.lead_log_id WHERE l.leadgen_id = ? AND "
                                    "h.to_status = 'processed'"),
                     {lead}),
                 1);
    }

    void reprocessThatMetaDelaysIsFinishedByServe()
    {
        // Staff reprocess after fixing access, but Meta has a hiccup: the lead waits for a retry,
        // and the running server finishes it.
        const QString lead = QStringLiteral("2405000000000345");
        QVERIFY(store({{lead, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({lead})); // Graph 100/33
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        m_graph->setLead(lead, graphLead(lead, kAcmeForm, kGoodPhone));
        m_graph->failLead(lead, 1, 503, 2);

        const CliResult r = run({QStringLiteral("process"), QStringLiteral("--leadgen"), lead});
        QVERIFY(r.finished);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("1 waiting for a retry")), qPrintable(r.out));
        QCOMPARE(m_box->status(lead), QStringLiteral("pending"));
        QCOMPARE(m_box->column(lead, QStringLiteral("attempts")).toInt(), 1);
        QVERIFY(!m_box->column(lead, QStringLiteral("next_attempt_at")).isNull());
        QCOMPARE(leadsOf(lead), 0);

        ServeProcess serve;
        QVERIFY2(serve.start({}, m_env), qPrintable(serve.stderrText()));
        QTRY_COMPARE_WITH_TIMEOUT(m_box->status(lead), QStringLiteral("processed"), 60000);
        QCOMPARE(leadsOf(lead), 1);
        QCOMPARE(outboxOf(lead), 1);
        QCOMPARE(m_graph->requestCount(lead), 3);
        QVERIFY(serve.sendSignal(SIGTERM));
        QCOMPARE(serve.waitForExit(), std::optional<int>(0));
    }

    void correctTurnsABadPhoneIntoALead()
    {
        const QString lead = QStringLiteral("2405000000000351");
        m_graph->setLead(lead, graphLead(lead, kAcmeForm, QStringLiteral("12345")));
        QVERIFY(store({{lead, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({lead}));
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        QVERIFY(m_box->column(lead, QStringLiteral("field_errors"))
                    .toString()
                    .contains(QStringLiteral("phone")));
        const QString leadPayload = m_box->column(lead, QStringLiteral("lead_payload")).toString();
        const QString rawPayload = m_box->column(lead, QStringLiteral("raw_payload")).toString();
        QVERIFY(!leadPayload.isEmpty());
        QVERIFY(!rawPayload.isEmpty());

        // A malformed command changes nothing.
        const CliResult usage = run({QStringLiteral("correct"), QStringLiteral("--leadgen"), lead,
                                     QStringLiteral("--field"), QStringLiteral("phone")});
        QCOMPARE(usage.exitCode, 2);
        QCOMPARE(m_box->column(lead, QStringLiteral("corrections")).toString(),
                 QStringLiteral("[]"));

        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const CliResult r =
            run({QStringLiteral("correct"), QStringLiteral("--leadgen"), lead,
                 QStringLiteral("--field"), QStringLiteral("phone"), QStringLiteral("--value"),
                 QStringLiteral("+16502530000"), QStringLiteral("--process")});
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(r.finished);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QStringLiteral("Correction stored")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("1 processed")), qPrintable(r.out));

        QCOMPARE(m_box->status(lead), QStringLiteral("processed"));
        QCOMPARE(m_box->column(lead, QStringLiteral("field_errors")).toString(),
                 QStringLiteral("[]"));
        QCOMPARE(
            m_box->scalar(QStringLiteral("SELECT phone FROM leads WHERE leadgen_id = ?"), {lead})
                .toString(),
            QStringLiteral("+16502530000"));
        QCOMPARE(leadsOf(lead), 1);
        QCOMPARE(outboxOf(lead), 1);
        // The originals are never overwritten; the correction is an overlay with author and time.
        QCOMPARE(m_box->column(lead, QStringLiteral("lead_payload")).toString(), leadPayload);
        QCOMPARE(m_box->column(lead, QStringLiteral("raw_payload")).toString(), rawPayload);
        QCOMPARE(m_graph->requestCount(lead), 1);
        const auto corrections = nlohmann::json::parse(
            m_box->column(lead, QStringLiteral("corrections")).toString().toStdString(), nullptr,
            false);
        QVERIFY(corrections.is_array());
        QCOMPARE(int(corrections.size()), 1);
        const auto &c = corrections.at(0);
        QCOMPARE(QString::fromStdString(c.value("target", std::string())),
                 QStringLiteral("field:phone"));
        QCOMPARE(QString::fromStdString(c.value("value", std::string())),
                 QStringLiteral("+16502530000"));
        QCOMPARE(QString::fromStdString(c.value("author", std::string())),
                 QStringLiteral("marta (cli)"));
        const qint64 at = c.value("at_ms", qint64(0));
        QVERIFY2(at >= before && at <= after, qPrintable(QString::number(at)));
        QCOMPARE(m_box->count(QStringLiteral(
                                  "SELECT COUNT(*) FROM lead_log_history h JOIN lead_log l ON "
                                  "l.id = h.lead_log_id WHERE l.leadgen_id = ? AND h.actor = ? AND "
                                  "h.message LIKE 'Corrected Phone to %'"),
                              {lead, QStringLiteral("marta (cli)")}),
                 1);
    }

    void lossNeedsAReasonAndCanBeUndone()
    {
        const QString lead = QStringLiteral("2405000000000361");
        m_graph->setLead(lead, graphLead(lead, kAcmeForm, QStringLiteral("12345")));
        QVERIFY(store({{lead, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({lead}));
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        const qint64 version = m_box->column(lead, QStringLiteral("updated_at")).toLongLong();

        const CliResult noReason = run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead});
        QVERIFY(noReason.finished);
        QCOMPARE(noReason.exitCode, 2);
        QVERIFY2(noReason.err.contains(QStringLiteral("--reason")), qPrintable(noReason.err));
        const CliResult blankReason =
            run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead,
                 QStringLiteral("--reason"), QStringLiteral("   ")});
        QCOMPARE(blankReason.exitCode, 2);
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        QCOMPARE(m_box->column(lead, QStringLiteral("updated_at")).toLongLong(), version);

        const CliResult loss =
            run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead,
                 QStringLiteral("--reason"), QStringLiteral("no valid contact")});
        QVERIFY(loss.finished);
        QVERIFY2(loss.exitCode == 0, qPrintable(loss.err));
        QCOMPARE(m_box->status(lead), QStringLiteral("loss"));
        QVariantList last = lastHistory(lead);
        QCOMPARE(last.value(0).toString(), QStringLiteral("marta (cli)"));
        QCOMPARE(last.value(1).toString(), QStringLiteral("error"));
        QCOMPARE(last.value(2).toString(), QStringLiteral("loss"));
        QVERIFY2(last.value(3).toString().contains(QStringLiteral("no valid contact")),
                 qPrintable(last.value(3).toString()));
        // The message of the failure stays readable under Loss.
        QVERIFY(!m_box->column(lead, QStringLiteral("error_message")).toString().isEmpty());

        // Loss is not an error: a default `process` leaves it alone.
        const CliResult sweep = run({QStringLiteral("process")});
        QVERIFY2(sweep.exitCode == 0, qPrintable(sweep.err));
        QVERIFY2(sweep.out.contains(QStringLiteral("nothing to process")), qPrintable(sweep.out));
        QCOMPARE(m_box->status(lead), QStringLiteral("loss"));
        // Marking it twice is refused.
        const CliResult twice = run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead,
                                     QStringLiteral("--reason"), QStringLiteral("again")});
        QCOMPARE(twice.exitCode, 1);

        const CliResult restore = run({QStringLiteral("loss"), QStringLiteral("--leadgen"), lead,
                                       QStringLiteral("--restore")});
        QVERIFY2(restore.exitCode == 0, qPrintable(restore.err));
        QCOMPARE(m_box->status(lead), QStringLiteral("error"));
        last = lastHistory(lead);
        QCOMPARE(last.value(1).toString(), QStringLiteral("loss"));
        QCOMPARE(last.value(2).toString(), QStringLiteral("error"));
        QCOMPARE(m_box->count(
                     QStringLiteral("SELECT COUNT(*) FROM lead_log_history h JOIN lead_log l ON "
                                    "l.id = h.lead_log_id WHERE l.leadgen_id = ?"),
                     {lead}),
                 4); // received, error, loss, restored
        // An unknown lead is an error, not a crash.
        const CliResult unknown = run({QStringLiteral("loss"), QStringLiteral("--leadgen"),
                                       QStringLiteral("2405000000009999"),
                                       QStringLiteral("--reason"), QStringLiteral("x")});
        QCOMPARE(unknown.exitCode, 1);
    }

    void leadsAsCsvAndJson()
    {
        const QString plain = QStringLiteral("2405000000000371");
        const QString formula = QStringLiteral("2405000000000372");
        m_graph->setLead(plain, graphLead(plain, kAcmeForm, kGoodPhone));
        // Not markup, so a valid name; but a spreadsheet would run it.
        m_graph->setLead(formula, graphLead(formula, kAcmeForm, kGoodPhone,
                                            QStringLiteral("=HYPERLINK(\"x\")")));
        QVERIFY(store({{plain, {kAcmePage, kAcmeForm}}, {formula, {kAcmePage, kAcmeForm}}}));
        QVERIFY(processInProcess({plain, formula}));
        QCOMPARE(m_box->status(formula), QStringLiteral("processed"));
        QCOMPARE(m_box
                     ->scalar(QStringLiteral("SELECT first_name FROM leads WHERE leadgen_id = ?"),
                              {formula})
                     .toString(),
                 QStringLiteral("=HYPERLINK(\"x\")"));

        const CliResult csv =
            run({QStringLiteral("leads"), QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY(csv.finished);
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        QVERIFY2(csv.out.endsWith(QStringLiteral("\r\n")), qPrintable(csv.out));
        QStringList lines = csv.out.split(QStringLiteral("\r\n"));
        lines.removeLast();
        QCOMPARE(lines.size(), 3);
        const QStringList header = csvFields(lines.at(0));
        QCOMPARE(header.mid(0, 6),
                 (QStringList{QStringLiteral("leadgen_id"), QStringLiteral("customer_name"),
                              QStringLiteral("first_name"), QStringLiteral("last_name"),
                              QStringLiteral("phone"), QStringLiteral("email")}));
        QVERIFY(header.contains(QStringLiteral("ad_id")));
        QHash<QString, QStringList> byLead;
        for (const QString &line : lines.mid(1)) {
            const QStringList fields = csvFields(line);
            QCOMPARE(fields.size(), header.size());
            byLead.insert(fields.at(0), fields);
        }
        QVERIFY(byLead.contains(plain) && byLead.contains(formula));
        const auto cell = [&](const QString &lead, const QString &column) {
            return byLead.value(lead).value(header.indexOf(column));
        };
        // The formula is neutralised with a leading apostrophe, and quoted as CSV requires.
        QCOMPARE(cell(formula, QStringLiteral("first_name")), QStringLiteral("'=HYPERLINK(\"x\")"));
        QVERIFY2(csv.out.contains(QStringLiteral(",\"'=HYPERLINK(\"\"x\"\")\",")),
                 qPrintable(csv.out));
        QCOMPARE(cell(formula, QStringLiteral("customer_name")),
                 QStringLiteral("'=HYPERLINK(\"x\") Doe"));
        QCOMPARE(cell(plain, QStringLiteral("first_name")), QStringLiteral("Jane"));
        QCOMPARE(cell(plain, QStringLiteral("customer_name")), QStringLiteral("Jane Doe"));
        QCOMPARE(cell(plain, QStringLiteral("ad_id")), kAdId);
        QCOMPARE(cell(plain, QStringLiteral("campaign_id")), kCampaignId);
        QCOMPARE(cell(plain, QStringLiteral("email")), QStringLiteral("jane.doe@example.com"));
        // A leading + would be a formula too.
        QVERIFY(cell(plain, QStringLiteral("phone")).endsWith(QStringLiteral("+16502530000")));

        const CliResult json =
            run({QStringLiteral("leads"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        QStringList objects = json.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(objects.size(), 2);
        for (const QString &text : std::as_const(objects)) {
            const auto row = nlohmann::json::parse(text.toStdString(), nullptr, false);
            QVERIFY2(row.is_object(), qPrintable(text));
            // Exact strings, never numbers: 19 digits do not survive a double.
            QCOMPARE(QString::fromStdString(row.at("ad_id").dump()),
                     QLatin1Char('"') + kAdId + QLatin1Char('"'));
            QCOMPARE(QString::fromStdString(row.at("adset_id").dump()),
                     QLatin1Char('"') + kAdsetId + QLatin1Char('"'));
            QCOMPARE(QString::fromStdString(row.at("campaign_id").dump()),
                     QLatin1Char('"') + kCampaignId + QLatin1Char('"'));
            QCOMPARE(QString::fromStdString(row.at("form_id").dump()),
                     QLatin1Char('"') + kAcmeForm + QLatin1Char('"'));
            QVERIFY2(row.at("page_id") == nlohmann::json(kAcmePage.toStdString()),
                     qPrintable(QStringLiteral("page_id should be the lead's page: %1").arg(text)));
            QCOMPARE(QString::fromStdString(row.at("phone").get<std::string>()),
                     QStringLiteral("+16502530000"));
            QCOMPARE(QString::fromStdString(row.at("source").get<std::string>()),
                     QStringLiteral("meta_ads"));
        }
        const auto formulaRow = nlohmann::json::parse(
            objects.at(objects.at(0).contains(formula) ? 0 : 1).toStdString(), nullptr, false);
        // JSON is data, not a spreadsheet: the value is exactly as entered.
        QCOMPARE(QString::fromStdString(formulaRow.at("first_name").get<std::string>()),
                 QStringLiteral("=HYPERLINK(\"x\")"));

        const CliResult bad =
            run({QStringLiteral("leads"), QStringLiteral("--format"), QStringLiteral("table")});
        QCOMPARE(bad.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestProcessingCli)
#include "tst_processing_cli.moc"
