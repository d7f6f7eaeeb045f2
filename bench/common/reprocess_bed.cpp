#include "reprocess_bed.h"

#include "config/config_store.h"
#include "config/secret_store.h"
#include "fake_graph_server.h"
#include "graph_bodies.h"
#include "ingest/listener_thread.h"
#include "store/lead_log_store.h"
#include "webhook_bodies.h"

#include <QDateTime>
#include <QDir>
#include <QSqlError>
#include <QSqlQuery>

namespace leadkeeper::bench {

const QString ReprocessBed::kPageId = QStringLiteral("1029384756473829");
const QString ReprocessBed::kFormId = QStringLiteral("5647382910564738");
const QByteArray ReprocessBed::kToken = "EAAB-bench-page-token";

ReprocessBed::ReprocessBed() = default;

ReprocessBed::~ReprocessBed()
{
    // The listener and its connection first, then ours, then the Graph it no longer calls.
    m_listener.reset();
    m_db.reset();
    m_graph.reset();
}

QString ReprocessBed::databasePath() const
{
    return QDir(directory()).filePath(QStringLiteral("leadkeeper.db"));
}

QString ReprocessBed::secretsDirectory() const
{
    return QDir(directory()).filePath(QStringLiteral("secrets"));
}

bool ReprocessBed::open(const QString &workDir, int graphThreads, int graphDelayMs, QString *error)
{
    m_dir = workDir.isEmpty() ? std::make_unique<QTemporaryDir>()
                              : std::make_unique<QTemporaryDir>(QDir(workDir).filePath(
                                    QStringLiteral("reprocess_load-XXXXXX")));
    if (!m_dir->isValid()) {
        *error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir->errorString());
        return false;
    }
    m_graph = std::make_unique<test::FakeGraphServer>(graphThreads);
    if (!m_graph->isListening()) {
        *error = QStringLiteral("the fake Graph server did not start");
        return false;
    }
    m_graphDelayMs = graphDelayMs;

    m_settings = Settings::defaults();
    m_settings.set("store/database", databasePath());
    m_settings.set("listener/address", QStringLiteral("127.0.0.1:0"));
    m_settings.set("meta/app_secret", QLatin1String(kAppSecret));
    m_settings.set("meta/verify_token", QStringLiteral("bench-verify-token"));
    m_settings.set("graph/url", m_graph->baseUrl());

    m_db = Database::open(databasePath(), error);
    return m_db && configurePage(error);
}

bool ReprocessBed::configurePage(QString *error)
{
    ConfigStore config(m_db->sql());
    m_page.pageId = kPageId;
    m_page.name = QStringLiteral("Acme Roofing");
    m_page.enabled = true;
    m_page.defaultRegion = QStringLiteral("US");
    if (!config.savePage(m_page, error))
        return false;
    SecretStore::Options o;
    o.backend = SecretStore::Backend::File;
    o.directory = secretsDirectory();
    o.honourEnvironment = false;
    SecretStore secrets(o);
    if (!secrets.setToken(m_page.tokenRef, QString::fromLatin1(kToken), error))
        return false;
    // The mapping of tests/app/tst_processing_pipeline.cpp: a name to capitalise, a phone to
    // parse into E.164, an e-mail to check, a city.
    m_form.pageConfigId = m_page.id;
    m_form.formId = kFormId;
    m_form.formName = QStringLiteral("Roof check");
    m_form.rows = {
        {QStringLiteral("full_name"),
         QStringLiteral("customer_name"),
         {},
         QStringLiteral("trim|capitalize"),
         true},
        {QStringLiteral("email"), QStringLiteral("email"), {}, QStringLiteral("trim"), false},
        {QStringLiteral("phone_number"),
         QStringLiteral("phone"),
         {},
         QStringLiteral("phone"),
         true},
        {QStringLiteral("city"), QStringLiteral("city"), {}, QStringLiteral("trim"), false}};
    return config.saveForm(m_form, error);
}

QByteArray ReprocessBed::leadJson(const QString &leadgenId, int n)
{
    return test::graphLeadJson(
        leadgenId, {{QStringLiteral("full_name"), QStringLiteral("ada lovelace")},
                    {QStringLiteral("email"), QStringLiteral("ada.%1@example.com").arg(n)},
                    {QStringLiteral("phone_number"), QStringLiteral("(650) 253-0000")},
                    {QStringLiteral("city"), QStringLiteral("Mountain View")}});
}

bool ReprocessBed::seed(int leads, QString *error)
{
    LeadLogStore store(m_db->sql());
    const qint64 receivedAt = QDateTime::currentMSecsSinceEpoch() - 86400000;
    constexpr int kBatch = 1000;
    for (int first = 0; first < leads; first += kBatch) {
        QList<IncomingLead> batch;
        for (int n = first; n < qMin(leads, first + kBatch); ++n) {
            IncomingLead lead;
            lead.leadgenId = QString::number(kSeedIdBase + n);
            lead.pageId = kPageId;
            lead.formId = kFormId;
            lead.adId = QStringLiteral("6120000000000000001");
            lead.adgroupId = QStringLiteral("6120000000000000002");
            lead.createdAtMs = receivedAt - 1000;
            lead.rawPayload = test::singleLeadBody(lead.leadgenId);
            batch << lead;
        }
        if (!store.storeDelivery(batch, receivedAt + first, error))
            return false;
    }
    QSqlQuery q(m_db->sql());
    if (!q.exec(QStringLiteral("SELECT MAX(id), (SELECT MAX(id) FROM lead_log_history), COUNT(*) "
                               "FROM lead_log")) ||
        !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    m_maxSeededId = q.value(0).toLongLong();
    m_seedHistoryMaxId = q.value(1).toLongLong();
    m_seeded = q.value(2).toLongLong();
    q.finish();
    return resetForRun(error);
}

void ReprocessBed::scriptGraph()
{
    m_graph->reset();
    m_graph->setExpectedToken(kToken);
    m_graph->setDelayMs(m_graphDelayMs);
    for (qint64 n = 0; n < m_seeded; ++n) {
        const QString id = QString::number(kSeedIdBase + n);
        m_graph->setLead(id, leadJson(id, int(n)));
    }
}

bool ReprocessBed::exec(const QString &sqlText, QString *error, const QVariantList &binds)
{
    QSqlQuery q(m_db->sql());
    q.setForwardOnly(true);
    if (!q.prepare(sqlText)) {
        *error = QStringLiteral("%1: %2").arg(sqlText, q.lastError().text());
        return false;
    }
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        *error = QStringLiteral("%1: %2").arg(sqlText, q.lastError().text());
        return false;
    }
    while (q.next()) {
    }
    return true;
}

bool ReprocessBed::resetForRun(QString *error)
{
    // What a bulk reprocess after a token renewal starts from: Error entries that never had a
    // Lead, whose payload was never fetched.
    const QString message =
        QStringLiteral("The access token of page Acme Roofing has expired (Meta "
                       "error 190/463). Renew it in Pages, then reprocess.");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    scriptGraph();
    return exec(QStringLiteral("BEGIN IMMEDIATE"), error) &&
           exec(QStringLiteral("DELETE FROM outbox"), error) &&
           exec(QStringLiteral("UPDATE lead_log SET lead_id = NULL WHERE lead_id IS NOT NULL"),
                error) &&
           exec(QStringLiteral("DELETE FROM leads"), error) &&
           exec(QStringLiteral("DELETE FROM lead_log WHERE id > ?"), error, {m_maxSeededId}) &&
           exec(QStringLiteral("DELETE FROM lead_log_history WHERE id > ?"), error,
                {m_seedHistoryMaxId}) &&
           exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = ?, "
                               "field_errors = '[]', attempts = 0, next_attempt_at = NULL, "
                               "lead_payload = NULL, page_config_id = NULL, "
                               "form_mapping_id = NULL, updated_at = ? WHERE id <= ?"),
                error, {message, now, m_maxSeededId}) &&
           exec(QStringLiteral("COMMIT"), error) &&
           exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), error);
}

bool ReprocessBed::startListener(QString *error)
{
    if (m_listener && m_listener->isListening())
        return true;
    m_listener = std::make_unique<ListenerThread>(m_settings);
    return m_listener->start(error);
}

quint16 ReprocessBed::listenerPort() const
{
    return m_listener ? m_listener->port() : 0;
}

ProcessingEngine::Config ReprocessBed::engineConfig(int concurrency) const
{
    ProcessingEngine::Config c = ProcessingEngine::configFrom(m_settings);
    c.concurrency = concurrency;
    const QString dir = secretsDirectory();
    c.secretStoreFactory = [dir] {
        SecretStore::Options o;
        o.backend = SecretStore::Backend::File;
        o.directory = dir;
        o.honourEnvironment = false;
        return std::make_unique<SecretStore>(o);
    };
    return c;
}

ReprocessBed::Counts ReprocessBed::seededCounts()
{
    Counts c;
    QSqlQuery q(m_db->sql());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT status, COUNT(*) FROM lead_log WHERE id <= ? GROUP BY status"));
    q.addBindValue(m_maxSeededId);
    if (q.exec()) {
        while (q.next()) {
            const QString s = q.value(0).toString();
            const qint64 n = q.value(1).toLongLong();
            if (s == QLatin1String("processed"))
                c.processed = n;
            else if (s == QLatin1String("error"))
                c.error = n;
            else if (s == QLatin1String("pending"))
                c.pending = n;
            else
                c.other += n;
        }
    }
    q.finish();
    if (q.exec(
            QStringLiteral("SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM outbox)")) &&
        q.next()) {
        c.leads = q.value(0).toLongLong();
        c.outbox = q.value(1).toLongLong();
    }
    return c;
}

} // namespace leadkeeper::bench
