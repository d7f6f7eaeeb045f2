#include "serve_command.h"

#include "command_line.h"
#include "ingest/listener_thread.h"
#include "processing/processing_dispatcher.h"
#include "processing/processing_engine.h"
#include "store/database.h"
#include "unix_signals.h"
#include "version.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace leadkeeper::cli {

Q_LOGGING_CATEGORY(lcServe, "leadkeeper.serve")

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    const QCommandLineOption noProcessing(
        QStringLiteral("no-processing"),
        QStringLiteral("Only store webhooks; leave processing to another instance."));
    parser.addOption(noProcessing);
    if (auto exit = parseOrExit(parser, arguments, QStringLiteral("serve"),
                                QStringLiteral("Runs the webhook listener and the processing "
                                               "workers without a display, logging to stderr, until "
                                               "SIGINT or SIGTERM (then it answers the request in "
                                               "hand, lets the leads in hand finish, and exits 0).")))
        return *exit;
    QString error;
    const auto settings = loadSettings(parser, &error);
    if (!settings) {
        printError(error);
        return Failure;
    }
    {
        // Open (and migrate) once up front so a bad database is reported before anything listens.
        Database::Options options;
        options.busyTimeoutMs = settings->busyTimeoutMs();
        auto db = Database::open(settings->databasePath(), options, &error);
        if (!db) {
            printError(error);
            return Failure;
        }
    }
    if (settings->appSecret().isEmpty())
        qCWarning(lcServe) << "no app secret is set (LEADKEEPER_APP_SECRET): every webhook POST "
                              "will be refused with 401";
    if (settings->verifyToken().isEmpty())
        qCWarning(lcServe) << "no verify token is set (LEADKEEPER_VERIFY_TOKEN): Meta's "
                              "subscription handshake will be refused";

    UnixSignals signalsHandler;
    ListenerThread listener(*settings);
    QObject::connect(&listener, &ListenerThread::deliveryStored,
                     [](int stored, int redelivered, qint64, const QStringList &ids) {
                         QString line = QStringLiteral("stored %1 new lead(s)").arg(stored);
                         if (!ids.isEmpty())
                             line += QStringLiteral(": ") + ids.join(QLatin1Char(' '));
                         if (redelivered)
                             line += QStringLiteral("; %1 redelivery(ies) counted").arg(redelivered);
                         qCInfo(lcServe).noquote() << line;
                     });
    if (!listener.start(&error)) {
        printError(error);
        return Failure;
    }
    qCInfo(lcServe).noquote() << QStringLiteral("Leadkeeper %1 listening on http://%2/webhooks/meta "
                                                "(database %3)")
                                     .arg(version(), listener.address(), settings->databasePath());

    std::unique_ptr<ProcessingEngine> engine;
    std::unique_ptr<ProcessingDispatcher> dispatcher;
    if (!parser.isSet(noProcessing)) {
        engine = std::make_unique<ProcessingEngine>(ProcessingEngine::configFrom(*settings));
        dispatcher = std::make_unique<ProcessingDispatcher>(*engine, settings->databasePath());
        QObject::connect(engine.get(), &ProcessingEngine::processed,
                         [](qint64, const LeadProcessor::Result &r) {
                             if (r.skipped)
                                 return;
                             if (!r.error.isEmpty()) {
                                 qCWarning(lcServe).noquote()
                                     << "lead" << r.leadgenId << "could not be saved:" << r.error;
                                 return;
                             }
                             qCInfo(lcServe).noquote()
                                 << "lead" << r.leadgenId << "->" << statusLabel(r.status)
                                 << (r.message.isEmpty() ? QString() : QStringLiteral("(%1)").arg(r.message));
                         });
        QObject::connect(&listener, &ListenerThread::deliveryStored, dispatcher.get(),
                         &ProcessingDispatcher::wake);
        if (!dispatcher->start(&error)) {
            printError(error);
            return Failure;
        }
        qCInfo(lcServe) << "processing with" << engine->concurrency() << "workers";
    }
    QObject::connect(&signalsHandler, &UnixSignals::terminationRequested, qApp, [&](int signal) {
        qCInfo(lcServe) << "signal" << signal << "received: finishing and exiting";
        listener.stop();
        QCoreApplication::exit(Ok);
    });
    const int code = QCoreApplication::exec();
    listener.stop();
    if (dispatcher)
        dispatcher->stop();
    engine.reset(); // lets the leads in hand finish
    qCInfo(lcServe) << "stopped";
    return code;
}

} // namespace leadkeeper::cli
