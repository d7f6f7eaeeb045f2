#include "logs_command.h"

#include "command_line.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "table_output.h"

#include <QDateTime>
#include <QTextStream>

namespace leadkeeper::cli {

namespace {

nlohmann::json isoTime(const std::optional<qint64> &ms)
{
    if (!ms)
        return nullptr;
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

} // namespace

nlohmann::json entryToJson(const LeadLogEntry &e)
{
    return {
        {"leadgen_id", e.leadgenId.toStdString()},
        {"page_id", e.pageId.toStdString()},
        {"form_id", e.formId.toStdString()},
        {"ad_id", e.adId.toStdString()},
        {"adgroup_id", e.adgroupId.toStdString()},
        {"created_time", isoTime(e.createdAtMs)},
        {"received_time", isoTime(e.receivedAtMs)},
        {"source", sourceKey(e.source).toStdString()},
        {"platform", e.platform.toStdString()},
        {"organic", e.organic},
        {"status", statusKey(e.status).toStdString()},
        {"error_message", e.errorMessage.toStdString()},
        {"attempts", e.attempts},
        {"deliveries", e.deliveries},
    };
}

int runLogs(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("Only this status: pending, unconfigured, "
                                                   "disabled, processed, error or loss."),
                                    QStringLiteral("S"));
    const QCommandLineOption source(QStringLiteral("source"),
                                    QStringLiteral("Only this source: webhook, import, polling or api."),
                                    QStringLiteral("S"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Only this Facebook page id."),
                                  QStringLiteral("ID"));
    parser.addOptions({status, source, page});
    ListingOptions listing(100, {TableOutput::Format::Json, TableOutput::Format::Csv,
                                 TableOutput::Format::Table},
                           TableOutput::Format::Table);
    listing.addTo(parser);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("logs"),
                                QStringLiteral("Lists lead log entries, newest first.")))
        return *exit;

    LeadLogFilter filter;
    if (parser.isSet(status)) {
        filter.status = statusFromKey(parser.value(status));
        if (!filter.status) {
            printError(QStringLiteral("--status must be one of pending, unconfigured, disabled, "
                                      "processed, error, loss (not \"%1\").")
                           .arg(parser.value(status)));
            return Usage;
        }
    }
    if (parser.isSet(source)) {
        filter.source = sourceFromKey(parser.value(source));
        if (!filter.source) {
            printError(QStringLiteral("--source must be one of webhook, import, polling, api (not "
                                      "\"%1\").")
                           .arg(parser.value(source)));
            return Usage;
        }
    }
    filter.pageId = parser.value(page);
    if (auto exit = listing.read(parser))
        return *exit;
    filter.limit = listing.limit();
    const TableOutput::Format fmt = listing.format();
    auto session = openSession(parser);
    if (!session)
        return Failure;
    QString error;
    LeadLogStore store(session->db.sql());
    const auto entries = store.list(filter, &error);
    if (!entries) {
        printError(error);
        return Failure;
    }
    QStringList columns = {QStringLiteral("leadgen_id"),    QStringLiteral("page_id"),
                           QStringLiteral("form_id"),       QStringLiteral("ad_id"),
                           QStringLiteral("created_time"),  QStringLiteral("received_time"),
                           QStringLiteral("source"),        QStringLiteral("platform"),
                           QStringLiteral("organic"),       QStringLiteral("status"),
                           QStringLiteral("error_message"), QStringLiteral("deliveries")};
    if (fmt != TableOutput::Format::Table)
        columns.insert(4, QStringLiteral("adgroup_id"));
    if (fmt == TableOutput::Format::Json)
        columns << QStringLiteral("attempts");
    QTextStream out(stdout);
    TableOutput table(fmt, columns, out);
    for (const LeadLogEntry &e : *entries)
        table.add(entryToJson(e));
    table.finish();
    return Ok;
}

} // namespace leadkeeper::cli
