#include "command_line.h"

#include "config_command.h"
#include "logs_command.h"
#include "processing_commands.h"
#include "serve_command.h"
#include "store/database.h"
#include "store/rejected_delivery_log.h"
#include "table_output.h"
#include "try_meta_command.h"
#include "version.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstdio>

namespace leadkeeper::cli {

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

int runSettings(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("settings"),
                                QStringLiteral("Shows the effective settings and where each comes "
                                               "from (secrets are never printed).")))
        return *exit;
    QString error;
    const auto settings = loadSettings(parser, &error);
    if (!settings) {
        printError(error);
        return Failure;
    }
    print(QStringLiteral("settings file: %1").arg(settings->configFile()));
    for (const QString &line : settings->describe())
        print(line);
    return Ok;
}

int runRejected(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    ListingOptions listing(50, {TableOutput::Format::Json, TableOutput::Format::Csv,
                                TableOutput::Format::Table},
                           TableOutput::Format::Table);
    listing.addTo(parser);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("rejected"),
                                QStringLiteral("Lists the latest refused webhook requests (bad "
                                               "signature, wrong verify token, malformed body) with "
                                               "the reason, newest first.")))
        return *exit;
    if (auto exit = listing.read(parser))
        return *exit;
    auto session = openSession(parser);
    if (!session)
        return Failure;
    QString error;
    RejectedDeliveryLog log(session->db.sql(), session->settings.rejectedLogLimit());
    const auto rows = log.latest(listing.limit(), &error);
    if (!error.isEmpty()) {
        printError(error);
        return Failure;
    }
    QTextStream out(stdout);
    TableOutput table(listing.format(), {QStringLiteral("received_time"), QStringLiteral("remote_address"),
                             QStringLiteral("method"), QStringLiteral("path"),
                             QStringLiteral("http_status"), QStringLiteral("reason"),
                             QStringLiteral("body_size")},
                      out);
    for (const RejectedDelivery &r : rows) {
        table.add({{"received_time", QDateTime::fromMSecsSinceEpoch(r.receivedAtMs, Qt::UTC)
                                         .toString(Qt::ISODateWithMs)
                                         .toStdString()},
                   {"remote_address", r.remoteAddress.toStdString()},
                   {"method", r.method.toStdString()},
                   {"path", r.path.toStdString()},
                   {"http_status", r.httpStatus},
                   {"reason", r.reason.toStdString()},
                   {"body_size", r.bodySize}});
    }
    table.finish();
    return Ok;
}

const QList<Command> &commands()
{
    static const QList<Command> all = {
        {"serve", "Run the webhook listener (and processing) without a display.", &runServe},
        {"logs", "List lead log entries (json, csv or table).", &runLogs},
        {"process", "Process leads again (errors, unconfigured, ...), with progress and a summary.",
         &runProcess},
        {"loss", "Mark a lead as Loss with a reason, or --restore it.", &runLoss},
        {"correct", "Correct a value of one lead (kept as an overlay) and optionally process it.",
         &runCorrect},
        {"leads", "List the Leads made from processed leads (json or csv).", &runLeads},
        {"rejected", "List refused webhook requests and why they were refused.", &runRejected},
        {"settings", "Show the effective settings and where each comes from.", &runSettings},
        {"config", "Export, import or show pages, forms and mappings.", &runConfig},
        {"try-meta", "A local stand-in for Meta's Graph API, to try Leadkeeper without a Meta app.", &runTryMeta},
    };
    return all;
}

QString overview()
{
    QString text = QStringLiteral(
        "Usage: leadkeeper [--db PATH] [--config FILE] [--listen HOST:PORT]\n"
        "       leadkeeper <command> [options]   (leadkeeper <command> --help for details)\n\n"
        "Without a command, Leadkeeper opens the desk.\n\nCommands:\n");
    for (const Command &c : commands())
        text += QStringLiteral("  %1%2\n").arg(QString::fromLatin1(c.name).leftJustified(12),
                                               QLatin1String(c.summary));
    text += QStringLiteral("\nSettings come from the settings file (%1),\nLEADKEEPER_* environment "
                           "variables and the options above; see README.md.\n")
                .arg(Settings::defaultConfigFile());
    return text;
}

} // namespace

void printError(const QString &text)
{
    QTextStream(stderr) << "leadkeeper: " << text << '\n';
}

void print(const QString &text)
{
    QTextStream(stdout) << text << '\n';
}

void addCommonOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Database file (default: %1; or LEADKEEPER_DB).")
                          .arg(Settings::defaultDatabasePath()),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("config"),
                      QStringLiteral("Settings file (default: %1; or LEADKEEPER_CONFIG).")
                          .arg(Settings::defaultConfigFile()),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Listener address, host:port (default 127.0.0.1:8787; or "
                                     "LEADKEEPER_LISTEN)."),
                      QStringLiteral("HOST:PORT")});
}

std::optional<Settings> loadSettings(const QCommandLineParser &parser, QString *error)
{
    QVariantHash overrides;
    if (parser.isSet(QStringLiteral("db")))
        overrides.insert(QStringLiteral("store/database"), parser.value(QStringLiteral("db")));
    if (parser.isSet(QStringLiteral("listen")))
        overrides.insert(QStringLiteral("listener/address"), parser.value(QStringLiteral("listen")));
    return Settings::load(parser.value(QStringLiteral("config")),
                          QProcessEnvironment::systemEnvironment(), overrides, error);
}

std::optional<Database> openExisting(const Settings &settings, QString *error)
{
    Database::Options options;
    options.busyTimeoutMs = settings.busyTimeoutMs();
    options.createIfMissing = false; // a mistyped --db must not leave a new empty database behind
    return Database::open(settings.databasePath(), options, error);
}

std::optional<Session> openSession(const QCommandLineParser &parser, Access access)
{
    QString error;
    auto settings = loadSettings(parser, &error);
    std::optional<Database> db;
    if (settings && access == Access::Existing) {
        db = openExisting(*settings, &error);
    } else if (settings) {
        Database::Options options;
        options.busyTimeoutMs = settings->busyTimeoutMs();
        db = Database::open(settings->databasePath(), options, &error);
    }
    if (!db) {
        printError(error);
        return std::nullopt;
    }
    return Session{std::move(*settings), std::move(*db)};
}

namespace {

QString formatName(TableOutput::Format f)
{
    switch (f) {
    case TableOutput::Format::Json: return QStringLiteral("json");
    case TableOutput::Format::Csv: return QStringLiteral("csv");
    case TableOutput::Format::Table: return QStringLiteral("table");
    }
    return {};
}

} // namespace

ListingOptions::ListingOptions(int defaultLimit, QList<TableOutput::Format> formats,
                               TableOutput::Format defaultFormat)
    : m_formats(std::move(formats)),
      m_limitOption(QStringLiteral("limit"),
                    QStringLiteral("At most N, newest first (default %1).").arg(defaultLimit),
                    QStringLiteral("N"), QString::number(defaultLimit)),
      m_formatOption(QStringLiteral("format"), QString(), QStringLiteral("FORMAT"),
                     formatName(defaultFormat)),
      m_format(defaultFormat)
{
    m_formatOption.setDescription(QStringLiteral("%1 (default %2).").arg(formatNames(), formatName(defaultFormat)));
}

QString ListingOptions::formatNames() const
{
    QStringList names;
    for (TableOutput::Format f : m_formats)
        names << formatName(f);
    return names.join(QStringLiteral(", "));
}

void ListingOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({m_limitOption, m_formatOption});
}

std::optional<int> ListingOptions::read(const QCommandLineParser &parser)
{
    const auto format = TableOutput::parseFormat(parser.value(m_formatOption));
    if (!format || !m_formats.contains(*format)) {
        printError(QStringLiteral("--format must be one of %1 (not \"%2\").")
                       .arg(formatNames(), parser.value(m_formatOption)));
        return Usage;
    }
    bool ok = false;
    const int limit = parser.value(m_limitOption).toInt(&ok);
    if (!ok || limit < 1) {
        printError(QStringLiteral("--limit must be a positive whole number (not \"%1\").")
                       .arg(parser.value(m_limitOption)));
        return Usage;
    }
    m_format = *format;
    m_limit = limit;
    return std::nullopt;
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &command, const QString &summary,
                               const QString &positional)
{
    parser.setApplicationDescription(summary);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    // arguments[0] is the program, arguments[1] the command name (its action, if any, was taken
    // out by the command).
    QStringList rest = arguments;
    if (rest.size() > 1 && !command.isEmpty())
        rest.removeAt(1);
    if (!parser.parse(rest)) {
        printError(parser.errorText() + QStringLiteral(" (see leadkeeper %1 --help)").arg(command));
        return Usage;
    }
    if (parser.isSet(help)) {
        // Qt's first line names the program as invoked (a full path); show the command instead.
        QString text = parser.helpText();
        const qsizetype firstLineEnd = text.indexOf(QLatin1Char('\n'));
        text.replace(0, firstLineEnd < 0 ? text.size() : firstLineEnd,
                     QStringLiteral("Usage: leadkeeper %1 [options]%2")
                         .arg(command, positional.isEmpty() ? QString() : QLatin1Char(' ') + positional));
        QTextStream(stdout) << text;
        return Ok;
    }
    const QStringList given = parser.positionalArguments();
    const qsizetype wanted = positional.isEmpty() ? 0 : 1;
    if (given.size() < wanted) {
        printError(QStringLiteral("leadkeeper %1 needs a %2 (see leadkeeper %1 --help)")
                       .arg(command, positional));
        return Usage;
    }
    if (given.size() > wanted) {
        printError(QStringLiteral("unexpected argument \"%1\" (see leadkeeper %2 --help)")
                       .arg(given.at(wanted), command));
        return Usage;
    }
    return std::nullopt;
}

bool wantsDesk(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (!a.startsWith(QLatin1Char('-')))
            return false; // a command
        if (a == QLatin1String("-h") || a == QLatin1String("--help") || a == QLatin1String("--version")
            || a == QLatin1String("-v"))
            return false;
        if ((a == QLatin1String("--db") || a == QLatin1String("--config")
             || a == QLatin1String("--listen"))
            && i + 1 < arguments.size())
            ++i; // skip the option's value
    }
    return true;
}

int run(const QStringList &arguments)
{
    QString name;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (!arguments.at(i).startsWith(QLatin1Char('-'))) {
            name = arguments.at(i);
            // Global options may stand before the command: move the command to position 1.
            QStringList reordered = arguments;
            reordered.removeAt(i);
            reordered.insert(1, name);
            for (const Command &c : commands()) {
                if (name == QLatin1String(c.name))
                    return c.run(reordered);
            }
            if (name == QLatin1String("help")) {
                QTextStream(stdout) << overview();
                return Ok;
            }
            printError(QStringLiteral("unknown command \"%1\".\n\n%2").arg(name, overview()));
            return Usage;
        }
        if (arguments.at(i) == QLatin1String("--version") || arguments.at(i) == QLatin1String("-v")) {
            print(QStringLiteral("leadkeeper %1").arg(version()));
            return Ok;
        }
        if (arguments.at(i) == QLatin1String("--db") || arguments.at(i) == QLatin1String("--config")
            || arguments.at(i) == QLatin1String("--listen"))
            ++i;
    }
    QTextStream(stdout) << overview();
    return Ok;
}

} // namespace leadkeeper::cli
