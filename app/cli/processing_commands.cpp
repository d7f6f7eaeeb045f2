#include "processing_commands.h"

#include "command_line.h"
#include "processing/processing_engine.h"
#include "processing/reprocess_job.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/lead_store.h"
#include "store/processing_store.h"
#include "table_output.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace leadkeeper::cli {

namespace {

QString cliActor()
{
    const QString user = qEnvironmentVariable("USER", QStringLiteral("unknown"));
    return QStringLiteral("%1 (cli)").arg(user);
}

QStringList splitList(const QString &text)
{
    QStringList items;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        items << p.trimmed();
    return items;
}

/// Runs `ids` through a ReprocessJob, printing progress to stderr and the summary to stdout.
int runJob(const Settings &settings, const QList<qint64> &ids, const ProcessOptions &options)
{
    ProcessingEngine engine(ProcessingEngine::configFrom(settings));
    ReprocessJob job(engine, ids, options);
    const bool tty = ::isatty(STDERR_FILENO);
    int lastPercent = -1;
    QObject::connect(&job, &ReprocessJob::progress, [&](int done, int total) {
        const int percent = total ? done * 100 / total : 100;
        if (tty) {
            QTextStream(stderr) << "\rProcessing " << done << " of " << total << " (" << percent
                                << " %)   " << Qt::flush;
        } else if (percent / 10 != lastPercent / 10 || done == total) {
            QTextStream(stderr) << "Processing " << done << " of " << total << " (" << percent
                                << " %)\n";
        }
        lastPercent = percent;
    });
    ReprocessSummary summary;
    QObject::connect(&job, &ReprocessJob::finished, [&](const ReprocessSummary &s) {
        summary = s;
        QCoreApplication::exit(0);
    });
    job.start();
    QCoreApplication::exec();
    if (tty)
        QTextStream(stderr) << '\n';
    print(summary.describe());
    return summary.failed > 0 ? Failure : Ok;
}

} // namespace

int runProcess(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("Statuses to process, comma-separated (default: "
                                                   "error,unconfigured,disabled; loss only when "
                                                   "named)."),
                                    QStringLiteral("S,..."));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Only leads of this page id."),
                                  QStringLiteral("ID"));
    const QCommandLineOption form(QStringLiteral("form"), QStringLiteral("Only leads of this form id."),
                                  QStringLiteral("ID"));
    const QCommandLineOption leadgen(QStringLiteral("leadgen"),
                                     QStringLiteral("Only these leadgen ids, comma-separated."),
                                     QStringLiteral("ID,..."));
    const QCommandLineOption refetch(QStringLiteral("refetch"),
                                     QStringLiteral("Fetch each lead from Meta again even if it "
                                                    "was fetched or imported before."));
    parser.addOptions({status, page, form, leadgen, refetch});
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("process"),
                                QStringLiteral("Processes leads again (every status except Pending "
                                               "and Processed), with progress and a summary. "
                                               "Processing the same lead again never makes a "
                                               "second Lead.")))
        return *exit;

    ReprocessSelection selection;
    const QStringList statuses = parser.isSet(status)
                                     ? splitList(parser.value(status))
                                     : QStringList{QStringLiteral("error"), QStringLiteral("unconfigured"),
                                                   QStringLiteral("disabled")};
    for (const QString &s : statuses) {
        const auto parsed = statusFromKey(s);
        if (!parsed) {
            printError(QStringLiteral("--status: \"%1\" is not a status (pending, unconfigured, "
                                      "disabled, processed, error, loss).")
                           .arg(s));
            return Usage;
        }
        if (!ProcessingStore::canReprocess(*parsed)) {
            printError(QStringLiteral("--status: %1 leads cannot be processed again (DESIGN: "
                                      "Pending is in flight, Processed is done).")
                           .arg(statusLabel(*parsed)));
            return Usage;
        }
        selection.statuses << *parsed;
    }
    selection.pageId = parser.value(page);
    selection.formId = parser.value(form);
    selection.leadgenIds = splitList(parser.value(leadgen));

    QString error;
    const auto settings = loadSettings(parser, &error);
    if (!settings) {
        printError(error);
        return Failure;
    }
    const QList<qint64> ids = ReprocessJob::resolve(settings->databasePath(), selection, &error);
    if (!error.isEmpty()) {
        printError(error);
        return Failure;
    }
    if (ids.isEmpty()) {
        print(QStringLiteral("No lead matches: nothing to process."));
        return Ok;
    }
    ProcessOptions options;
    options.refetch = parser.isSet(refetch);
    options.actor = cliActor();
    return runJob(*settings, ids, options);
}

int runLoss(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption leadgen(QStringLiteral("leadgen"), QStringLiteral("The lead's leadgen id."),
                                     QStringLiteral("ID"));
    const QCommandLineOption reason(QStringLiteral("reason"),
                                    QStringLiteral("Why the lead cannot be saved (required)."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption restore(QStringLiteral("restore"),
                                     QStringLiteral("Undo: give the lead back the status it had "
                                                    "before it was marked as Loss."));
    parser.addOptions({leadgen, reason, restore});
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("loss"),
                                QStringLiteral("Marks a lead as Loss (it cannot be saved, e.g. no "
                                               "valid contact), with a reason; --restore undoes it.")))
        return *exit;
    if (!parser.isSet(leadgen)) {
        printError(QStringLiteral("--leadgen ID is required."));
        return Usage;
    }
    if (!parser.isSet(restore) && parser.value(reason).trimmed().isEmpty()) {
        printError(QStringLiteral("--reason TEXT is required (why can this lead not be saved?)."));
        return Usage;
    }
    auto session = openSession(parser);
    if (!session)
        return Failure;
    QString error;
    ProcessingStore store(session->db.sql());
    const bool ok = parser.isSet(restore)
                        ? store.restoreFromLoss(parser.value(leadgen), cliActor(), &error)
                        : store.markLoss(parser.value(leadgen), parser.value(reason), cliActor(), &error);
    if (!ok) {
        printError(error);
        return Failure;
    }
    print(parser.isSet(restore) ? QStringLiteral("Lead %1 restored.").arg(parser.value(leadgen))
                                : QStringLiteral("Lead %1 marked as Loss.").arg(parser.value(leadgen)));
    return Ok;
}

int runCorrect(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption leadgen(QStringLiteral("leadgen"), QStringLiteral("The lead's leadgen id."),
                                     QStringLiteral("ID"));
    const QCommandLineOption field(QStringLiteral("field"),
                                   QStringLiteral("Correct a Lead field (phone, email, first_name, "
                                                  "...)."),
                                   QStringLiteral("FIELD"));
    const QCommandLineOption question(QStringLiteral("question"),
                                      QStringLiteral("Correct the answer to a form question "
                                                     "(phone_number, full_name, ...)."),
                                      QStringLiteral("KEY"));
    const QCommandLineOption value(QStringLiteral("value"), QStringLiteral("The corrected value."),
                                   QStringLiteral("TEXT"));
    const QCommandLineOption process(QStringLiteral("process"),
                                     QStringLiteral("Process the lead again right after."));
    parser.addOptions({leadgen, field, question, value, process});
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("correct"),
                                QStringLiteral("Stores a correction for one lead, kept as an "
                                               "overlay (the original payloads are never changed) "
                                               "and used by the next processing.")))
        return *exit;
    if (!parser.isSet(leadgen) || !parser.isSet(value) || parser.isSet(field) == parser.isSet(question)) {
        printError(QStringLiteral("give --leadgen ID, --value TEXT and one of --field or --question."));
        return Usage;
    }
    const QString target = parser.isSet(field) ? QStringLiteral("field:") + parser.value(field)
                                               : QStringLiteral("question:") + parser.value(question);
    auto session = openSession(parser);
    if (!session)
        return Failure;
    QString error;
    ProcessingStore store(session->db.sql());
    if (parser.isSet(process)) {
        // Refuse before storing anything: bad input changes nothing.
        LeadLogStore log(session->db.sql());
        const auto entry = log.find(parser.value(leadgen), &error);
        if (!entry) {
            printError(error);
            return Failure;
        }
        if (!ProcessingStore::canReprocess(entry->status)) {
            printError(QStringLiteral("Lead %1 is %2, so it cannot be processed again; nothing was "
                                      "stored. (Without --process the correction is kept for a "
                                      "later processing.)")
                           .arg(parser.value(leadgen), statusLabel(entry->status)));
            return Failure;
        }
    }
    if (!store.addCorrection(parser.value(leadgen), target, parser.value(value), cliActor(), &error)) {
        printError(error);
        return Failure;
    }
    print(QStringLiteral("Correction stored for lead %1.").arg(parser.value(leadgen)));
    if (!parser.isSet(process))
        return Ok;
    const QList<qint64> ids = ReprocessJob::resolve(session->settings.databasePath(),
                                                    {{}, {}, {}, {parser.value(leadgen)}, {}, {}}, &error);
    if (ids.isEmpty()) {
        printError(error.isEmpty() ? QStringLiteral("The lead is Pending or Processed: it cannot be "
                                                    "processed again now.")
                                   : error);
        return Failure;
    }
    ProcessOptions options;
    options.actor = cliActor();
    return runJob(session->settings, ids, options);
}

int runLeads(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    ListingOptions listing(1000, {TableOutput::Format::Json, TableOutput::Format::Csv},
                           TableOutput::Format::Json);
    listing.addTo(parser);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("leads"),
                                QStringLiteral("Lists the Leads made from processed leads, with "
                                               "their attribution, newest first. CSV cells that a "
                                               "spreadsheet would run as a formula are escaped.")))
        return *exit;
    if (auto exit = listing.read(parser))
        return *exit;
    auto session = openSession(parser);
    if (!session)
        return Failure;
    QString error;
    LeadStore store(session->db.sql());
    const auto leads = store.list(listing.limit(), &error);
    if (!leads) {
        printError(error);
        return Failure;
    }
    const QStringList attributionKeys = {
        QStringLiteral("campaign_id"), QStringLiteral("campaign_name"), QStringLiteral("adset_id"),
        QStringLiteral("adset_name"),  QStringLiteral("ad_id"),         QStringLiteral("ad_name"),
        QStringLiteral("form_id"),     QStringLiteral("form_name"),     QStringLiteral("page_id"),
        QStringLiteral("platform"),    QStringLiteral("organic")};
    QStringList columns = {QStringLiteral("leadgen_id"), QStringLiteral("customer_name"),
                           QStringLiteral("first_name"), QStringLiteral("last_name"),
                           QStringLiteral("phone"),      QStringLiteral("email"),
                           QStringLiteral("city"),       QStringLiteral("source")};
    columns << attributionKeys;
    columns << QStringLiteral("created_time") << QStringLiteral("lifecycle_stage");
    if (listing.format() == TableOutput::Format::Json)
        columns << QStringLiteral("standard_fields") << QStringLiteral("custom_fields");
    QTextStream out(stdout);
    TableOutput table(listing.format(), columns, out);
    for (const StoredLead &l : *leads) {
        nlohmann::json row = {{"leadgen_id", l.leadgenId.toStdString()},
                              {"customer_name", l.customerName.toStdString()},
                              {"first_name", l.firstName.toStdString()},
                              {"last_name", l.lastName.toStdString()},
                              {"phone", l.phone.toStdString()},
                              {"email", l.email.toStdString()},
                              {"city", l.city.toStdString()},
                              {"source", l.source.toStdString()},
                              {"lifecycle_stage", l.lifecycleStage.toStdString()}};
        row["created_time"] = l.createdAtMs ? nlohmann::json(QDateTime::fromMSecsSinceEpoch(*l.createdAtMs, Qt::UTC)
                                                                 .toString(Qt::ISODate)
                                                                 .toStdString())
                                            : nlohmann::json();
        const auto attribution = nlohmann::json::parse(l.attribution.toStdString(), nullptr, false);
        for (const QString &k : attributionKeys) {
            const auto it = attribution.is_object() ? attribution.find(k.toStdString()) : attribution.end();
            row[k.toStdString()] = attribution.is_object() && it != attribution.end() ? *it : nlohmann::json();
        }
        row["standard_fields"] = nlohmann::json::parse(l.standardFields.toStdString(), nullptr, false);
        row["custom_fields"] = nlohmann::json::parse(l.customFields.toStdString(), nullptr, false);
        table.add(row);
    }
    table.finish();
    return Ok;
}

} // namespace leadkeeper::cli
