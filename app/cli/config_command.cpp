#include "config_command.h"

#include "command_line.h"
#include "config/config_file.h"
#include "config/config_store.h"
#include "config/secret_store.h"
#include "store/database.h"
#include "table_output.h"

#include <QTextStream>

#include <cstdio>

namespace leadkeeper::cli {

namespace {

const char *const kUsage =
    "Usage: leadkeeper config <action> [options]   (leadkeeper config <action> --help for details)\n\n"
    "Actions:\n"
    "  export FILE [--with-secrets]  Write pages, forms and mappings to a JSON file (\"-\" = stdout).\n"
    "                                Access tokens are left out unless --with-secrets is given.\n"
    "  import FILE                   Read such a file (\"-\" = stdin). The whole file is checked\n"
    "                                first; a file with any error changes nothing.\n"
    "  show                          Print pages, forms and mappings as tables.\n";

/// parseOrExit() for `config <action>`, which takes a FILE or nothing.
std::optional<int> parseAction(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &action, const QString &summary, qsizetype positionals)
{
    return parseOrExit(parser, arguments, QStringLiteral("config ") + action, summary,
                       positionals > 0 ? QStringLiteral("FILE") : QString());
}

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption withSecrets(QStringLiteral("with-secrets"),
                                         QStringLiteral("Include the page access tokens (the file "
                                                        "is then written owner-only)."));
    parser.addOption(withSecrets);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("The JSON file to write (\"-\" = standard output)."));
    if (auto exit = parseAction(parser, arguments, QStringLiteral("export"),
                                QStringLiteral("Writes the page configs, form mappings and mapping "
                                               "rows to a JSON file. Access tokens are left out "
                                               "unless --with-secrets is given."),
                                1))
        return *exit;
    const QString path = parser.positionalArguments().constFirst();
    // With the JSON on stdout, the remarks go to stderr.
    const auto info = [&](const QString &text) {
        if (path == QLatin1String("-"))
            QTextStream(stderr) << text << '\n';
        else
            print(text);
    };
    auto session = openSession(parser, Access::Existing);
    if (!session)
        return Failure;
    ConfigStore store(session->db.sql());
    SecretStore secrets;
    info(QStringLiteral("secret store: %1").arg(secrets.backendName()));
    ConfigFile file(store, secrets);
    ConfigFile::ExportSummary summary;
    QString error;
    const bool secretsToo = parser.isSet(withSecrets);
    if (!file.exportToFile(path, secretsToo, &summary, &error)) {
        printError(error);
        return Failure;
    }
    QString tokens = secretsToo
                         ? QStringLiteral("access tokens included: %1%2")
                               .arg(summary.tokens)
                               .arg(path == QLatin1String("-") ? QString()
                                                               : QStringLiteral("; the file is owner-only"))
                         : QStringLiteral("access tokens left out; --with-secrets includes them");
    info(QStringLiteral("exported pages %1, forms %2 to %3 (%4)")
             .arg(summary.pages)
             .arg(summary.forms)
             .arg(path == QLatin1String("-") ? QStringLiteral("standard output") : path, tokens));
    if (!summary.pagesWithoutToken.isEmpty())
        info(QStringLiteral("no access token is stored for page %1")
                 .arg(summary.pagesWithoutToken.join(QStringLiteral(", "))));
    return Ok;
}

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("The JSON file to read (\"-\" = standard input)."));
    if (auto exit = parseAction(parser, arguments, QStringLiteral("import"),
                                QStringLiteral("Reads page configs, form mappings and mapping rows "
                                               "from a JSON file written by config export. The "
                                               "whole file is checked first: a file with any error "
                                               "changes nothing. A page in the file replaces the "
                                               "stored page with the same page id, forms included; "
                                               "other pages are left alone."),
                                1))
        return *exit;
    const QString path = parser.positionalArguments().constFirst();
    auto session = openSession(parser, Access::CreateIfMissing);
    if (!session)
        return Failure;
    ConfigStore store(session->db.sql());
    SecretStore secrets;
    print(QStringLiteral("secret store: %1").arg(secrets.backendName()));
    ConfigFile file(store, secrets);
    QStringList errors;
    const auto summary = file.importFile(path, &errors);
    if (!summary) {
        printError(QStringLiteral("%1 was not imported; nothing was changed:").arg(path));
        for (const QString &e : std::as_const(errors))
            QTextStream(stderr) << "  " << e << '\n';
        return Failure;
    }
    print(QStringLiteral("imported %1: pages added %2, pages updated %3, forms %4, mapping rows "
                         "%5, access tokens stored %6")
              .arg(path)
              .arg(summary->pagesAdded)
              .arg(summary->pagesUpdated)
              .arg(summary->forms)
              .arg(summary->mappingRows)
              .arg(summary->tokensStored));
    if (!summary->tokenErrors.isEmpty()) {
        printError(QStringLiteral("the configuration was imported, but these access tokens were "
                                  "not stored (set them again):"));
        for (const QString &e : summary->tokenErrors)
            QTextStream(stderr) << "  " << e << '\n';
        return Failure;
    }
    return Ok;
}

int runShow(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    if (auto exit = parseAction(parser, arguments, QStringLiteral("show"),
                                QStringLiteral("Prints the pages, their forms and each form's "
                                               "mapping. Access tokens are shown as set or "
                                               "missing, never printed."),
                                0))
        return *exit;
    auto session = openSession(parser, Access::Existing);
    if (!session)
        return Failure;
    const Settings &settings = session->settings;
    ConfigStore store(session->db.sql());
    SecretStore secrets;
    print(QStringLiteral("secret store: %1").arg(secrets.backendName()));
    QString error;
    const QList<PageConfig> pages = store.listPages(&error);
    if (!error.isEmpty()) {
        printError(error);
        return Failure;
    }
    QList<QList<FormMapping>> formsOfPage;
    for (const PageConfig &p : pages) {
        formsOfPage << store.forms(p.id, &error);
        if (!error.isEmpty()) {
            printError(error);
            return Failure;
        }
    }

    QTextStream out(stdout);
    out << "\nPages\n";
    TableOutput pageTable(TableOutput::Format::Table,
                          {QStringLiteral("page_id"), QStringLiteral("name"), QStringLiteral("enabled"),
                           QStringLiteral("default_region"), QStringLiteral("access_token"),
                           QStringLiteral("forms")},
                          out);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        const PageConfig &p = pages.at(i);
        QString tokenError;
        const bool has = secrets.hasToken(p.tokenRef, &tokenError);
        const QString token = !tokenError.isEmpty() ? QStringLiteral("unknown (store error)")
                              : has                 ? QStringLiteral("set")
                                                    : QStringLiteral("missing");
        const QString region = p.defaultRegion.isEmpty()
                                   ? QStringLiteral("default (%1)").arg(settings.defaultRegion())
                                   : p.defaultRegion;
        pageTable.add({{"page_id", p.pageId.toStdString()},
                       {"name", p.name.toStdString()},
                       {"enabled", p.enabled ? "yes" : "no"},
                       {"default_region", region.toStdString()},
                       {"access_token", token.toStdString()},
                       {"forms", formsOfPage.at(i).size()}});
        if (!tokenError.isEmpty())
            printError(tokenError);
    }
    pageTable.finish();

    for (qsizetype i = 0; i < pages.size(); ++i) {
        for (const FormMapping &f : formsOfPage.at(i)) {
            out << QStringLiteral("\nForm %1 \"%2\" of page %3 (%4)\n")
                       .arg(f.formId, f.formName, pages.at(i).pageId,
                            f.enabled ? QStringLiteral("enabled") : QStringLiteral("disabled"));
            TableOutput rows(TableOutput::Format::Table,
                             {QStringLiteral("question"), QStringLiteral("field"),
                              QStringLiteral("default"), QStringLiteral("transform"),
                              QStringLiteral("mandatory")},
                             out);
            for (const MappingRow &r : f.rows) {
                rows.add({{"question", r.questionKey.toStdString()},
                          {"field", r.leadField.toStdString()},
                          {"default", r.defaultValue.toStdString()},
                          {"transform", r.transform.toStdString()},
                          {"mandatory", r.mandatory ? "yes" : "no"}});
            }
            rows.finish();
        }
    }
    return Ok;
}

} // namespace

int runConfig(const QStringList &arguments)
{
    // arguments: program, "config", then the action among the options.
    qsizetype actionIndex = -1;
    bool help = false;
    for (qsizetype i = 2; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("-h") || a == QLatin1String("--help"))
            help = true;
        if (a.startsWith(QLatin1Char('-'))) {
            if (a == QLatin1String("--db") || a == QLatin1String("--config")
                || a == QLatin1String("--listen"))
                ++i; // the option's value
            continue;
        }
        actionIndex = i;
        break;
    }
    if (actionIndex < 0) {
        if (help) {
            QTextStream(stdout) << kUsage;
            return Ok;
        }
        printError(QStringLiteral("config needs an action.\n\n%1").arg(QLatin1String(kUsage)));
        return Usage;
    }
    const QString action = arguments.at(actionIndex);
    QStringList rest = arguments;
    rest.removeAt(actionIndex);
    if (action == QLatin1String("export"))
        return runExport(rest);
    if (action == QLatin1String("import"))
        return runImport(rest);
    if (action == QLatin1String("show"))
        return runShow(rest);
    printError(QStringLiteral("unknown config action \"%1\".\n\n%2").arg(action, QLatin1String(kUsage)));
    return Usage;
}

} // namespace leadkeeper::cli
