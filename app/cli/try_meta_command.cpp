#include "try_meta_command.h"

#include "command_line.h"
#include "demo/try_meta_server.h"
#include "settings/settings.h"
#include "unix_signals.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace leadkeeper::cli {

Q_LOGGING_CATEGORY(lcTryMeta, "leadkeeper.try-meta")

int runTryMeta(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address of the stand-in, host:port (default 127.0.0.1:%1; port 0 picks a "
                       "free one).")
            .arg(TryMetaServer::kDefaultPort),
        QStringLiteral("HOST:PORT"),
        QStringLiteral("127.0.0.1:%1").arg(TryMetaServer::kDefaultPort));
    parser.addOption(listen);
    const QString summary =
        QStringLiteral(
            "A local STAND-IN for Meta's Graph API, for trying Leadkeeper out without a Meta app.\n"
            "It makes up every lead it returns: NEVER use it for real leads.\n\n"
            "Point Leadkeeper at the URL it prints: start the desk (or leadkeeper serve) with\n"
            "LEADKEEPER_GRAPH_URL=http://127.0.0.1:%1, or set Setup > Settings > Graph API "
            "address.\nIt answers what Leadkeeper asks Meta:\n"
            "  GET /{version}/{leadgen_id}             a made-up lead; the same id always gives "
            "the same\n"
            "                                          lead. An id ending in 99 gets an invalid "
            "phone\n"
            "                                          number (\"%2\"), so processing ends in "
            "Error; one\n"
            "                                          ending in 8 belongs to the second form.\n"
            "  GET /{version}/{page_id}/leadgen_forms  two active forms, %3 \"%5\"\n"
            "                                          and %4 \"%6\",\n"
            "                                          asking full_name, email, phone_number, "
            "city.\n"
            "  GET /{version}/debug_token              valid for 60 days, every permission "
            "needed.\n"
            "Any access token is accepted. Runs until SIGINT (Ctrl+C) or SIGTERM.")
            .arg(QString::number(TryMetaServer::kDefaultPort), TryMetaServer::kInvalidPhone,
                 TryMetaServer::kFirstFormId, TryMetaServer::kSecondFormId,
                 TryMetaServer::kFirstFormName, TryMetaServer::kSecondFormName);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("try-meta"), summary))
        return *exit;

    QString error;
    const auto address = ListenAddress::parse(parser.value(listen), &error);
    if (!address) {
        printError(QStringLiteral("--listen: %1 (see leadkeeper try-meta --help)").arg(error));
        return Usage;
    }
    UnixSignals signalsHandler;
    TryMetaServer server;
    if (!server.listen(address->host, address->port, &error)) {
        printError(error);
        return Failure;
    }
    QObject::connect(&server, &TryMetaServer::answered,
                     [](const QString &line) { qCInfo(lcTryMeta).noquote() << line; });
    print(QStringLiteral(
              "leadkeeper try-meta: a local STAND-IN for Meta's Graph API on %1 - made-up leads "
              "for trying Leadkeeper out; never use it for real leads.\n"
              "Set the Graph API URL to %1, e.g. start the desk with LEADKEEPER_GRAPH_URL=%1\n"
              "Leadgen ids ending in 99 get an invalid phone, ending in 8 the second form. "
              "Ctrl+C stops it.")
              .arg(server.baseUrl()));
    QObject::connect(&signalsHandler, &UnixSignals::terminationRequested, qApp, [](int signal) {
        qCInfo(lcTryMeta) << "signal" << signal << "received: stopping";
        QCoreApplication::exit(Ok);
    });
    return QCoreApplication::exec();
}

} // namespace leadkeeper::cli
