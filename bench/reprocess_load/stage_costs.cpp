#include "stage_costs.h"

#include "proc_readings.h"
#include "reprocess_bed.h"

#include "config/config_store.h"
#include "config/secret_store.h"
#include "fake_graph_server.h"
#include "meta/graph_client.h"
#include "processing/lead_mapper.h"
#include "processing/lead_processor.h"
#include "store/processing_store.h"

#include <QElapsedTimer>
#include <QSqlQuery>

#include <ctime>
#include <functional>

namespace leadkeeper::bench {

namespace {

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

/// Runs `step(i)` for i in [0, n) and returns the mean wall and CPU time per call.
StageCosts::Stage timeStage(const QString &name, int n, const std::function<bool(int)> &step,
                            bool *ok)
{
    StageCosts::Stage s;
    s.name = name;
    QElapsedTimer wall;
    const qint64 cpu0 = threadCpuNs();
    wall.start();
    for (int i = 0; i < n && *ok; ++i)
        *ok = step(i);
    s.wallUsPerLead = double(wall.nsecsElapsed()) / 1000.0 / n;
    s.cpuUsPerLead = double(threadCpuNs() - cpu0) / 1000.0 / n;
    return s;
}

} // namespace

QList<StageCosts::Stage> StageCosts::measure(ReprocessBed &bed, int leads, QString *error)
{
    QList<Stage> stages;
    const int n = int(qMin<qint64>(leads, bed.seededCount() / 3));
    if (n <= 0) {
        *error = QStringLiteral("not enough seeded leads");
        return stages;
    }
    QSqlDatabase db = bed.sql();
    ProcessingStore store(db);
    ConfigStore config(db);
    SecretStore::Options so;
    so.backend = SecretStore::Backend::File;
    so.directory = bed.secretsDirectory();
    so.honourEnvironment = false;
    SecretStore secrets(so);
    const ProcessingEngine::Config ec = bed.engineConfig(1);
    GraphClient graph(ec.graphUrl, ec.graphVersion, ec.graphTimeoutMs);

    // Entry ids 1..3n: the first n for the stages and the FULL write, the next n for the NORMAL
    // write, the last n for the whole processor.
    QList<LeadLogEntry> entries;
    for (int i = 1; i <= 3 * n; ++i) {
        const auto e = store.byId(i, error);
        if (!e)
            return stages;
        entries << *e;
    }
    const PageConfig page = bed.page();
    QList<QByteArray> payloads(n);
    QList<ProcessingOutcome> outcomes(2 * n);
    bool ok = true;
    auto failed = [&](const QString &what) {
        *error = what;
        return false;
    };

    stages << timeStage(
        QStringLiteral("ProcessingStore::byId"), n,
        [&](int i) {
            QString e;
            return store.byId(entries.at(i).id, &e).has_value() || failed(e);
        },
        &ok);
    stages << timeStage(
        QStringLiteral("ConfigStore::lookup (page, form, rows)"), n,
        [&](int i) {
            QString e;
            return config.lookup(entries.at(i).pageId, entries.at(i).formId, &e).has_value() ||
                   failed(e);
        },
        &ok);
    stages << timeStage(
        QStringLiteral("SecretStore::token (file)"), n,
        [&](int) {
            QString e;
            return secrets.token(page.tokenRef, &e).has_value() || failed(e);
        },
        &ok);

    bed.graph().setDelayMs(0);
    graph.fetchLead(entries.at(0).leadgenId, ReprocessBed::kToken); // connection set up, not timed
    const auto graphCpu0 = proc_readings::threadTimes(QStringLiteral("fixture-http")).cpuNs;
    Stage fetch = timeStage(
        QStringLiteral("GraphClient::fetchLead (0 ms fake delay)"), n,
        [&](int i) {
            const auto r = graph.fetchLead(entries.at(i).leadgenId, ReprocessBed::kToken);
            payloads[i] = r.value.value_or(QByteArray());
            return r.ok() || failed(QStringLiteral("fetchLead failed"));
        },
        &ok);
    const auto graphCpu =
        proc_readings::threadTimes(QStringLiteral("fixture-http")).cpuNs - graphCpu0;
    fetch.note =
        QStringLiteral("fake Graph server CPU %1 us/lead on its threads (Meta's, not ours)")
            .arg(double(graphCpu) / 1000.0 / n, 0, 'f', 0);
    stages << fetch;

    const FormMapping form = bed.form();
    stages << timeStage(
        QStringLiteral("LeadMapper::map (+ phone, validation)"), n,
        [&](int i) {
            const LeadMapper::Result m =
                LeadMapper::map(payloads.at(i), form, {}, QStringLiteral("US"), form.formName);
            if (!m.ok())
                return failed(QStringLiteral("mapping failed"));
            for (int k : {i, i + n}) {
                ProcessingOutcome &out = outcomes[k];
                out.status = LeadStatus::Processed;
                out.pageConfigId = page.id;
                out.formMappingId = form.id;
                out.leadPayload = payloads.at(i);
                out.platform = m.lead.platform;
                out.organic = m.lead.organic;
                out.historyText = QStringLiteral("Processed again by bench");
                ProcessingOutcome::LeadRow row;
                row.customerName = m.lead.customerName;
                row.phone = m.lead.phone;
                row.email = m.lead.email;
                row.city = m.lead.city;
                row.standardFields = m.lead.standardJson();
                row.customFields = m.lead.customJson();
                row.attribution = m.lead.attributionJson();
                row.createdAtMs = m.lead.createdAtMs;
                out.lead = row;
            }
            return true;
        },
        &ok);

    auto write = [&](int offset) {
        return [&, offset](int i) {
            QString e;
            return store.writeOutcome(entries.at(offset + i), outcomes.at(offset + i),
                                      QStringLiteral("bench"),
                                      &e) == ProcessingStore::WriteResult::Written ||
                   failed(e);
        };
    };
    stages << timeStage(QStringLiteral("ProcessingStore::writeOutcome, synchronous=FULL"), n,
                        write(0), &ok);
    QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    Stage normal = timeStage(QStringLiteral("ProcessingStore::writeOutcome, synchronous=NORMAL"), n,
                             write(n), &ok);
    normal.note = QStringLiteral("not in the sum: the FULL minus NORMAL difference is the fsync");
    stages << normal;
    QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous=FULL"));

    LeadProcessor processor(db, graph, secrets, ec.policy);
    ProcessOptions options;
    options.reprocess = true;
    Stage whole = timeStage(
        QStringLiteral("LeadProcessor::process, whole (0 ms fake delay)"), n,
        [&](int i) {
            const LeadProcessor::Result r = processor.process(entries.at(2 * n + i).id, options);
            return r.status == LeadStatus::Processed ||
                   failed(QStringLiteral("processing failed: %1 %2").arg(r.message, r.error));
        },
        &ok);
    whole.note = QStringLiteral("not in the sum: the real thing, for comparison");
    stages << whole;
    if (!ok)
        stages.clear();
    return stages;
}

} // namespace leadkeeper::bench
