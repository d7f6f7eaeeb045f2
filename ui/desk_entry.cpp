#include "desk_entry.h"

#include "cli/command_line.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "desk_controller.h"
#include "main_window.h"
#include "processing/processing_dispatcher.h"
#include "processing/processing_engine.h"
#include "store/database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QMessageBox>

namespace leadkeeper::ui {

namespace {

Q_LOGGING_CATEGORY(lcDesk, "leadkeeper.desk")

// Shown before any window exists, so the person who double-clicked the icon learns what is wrong.
int refuseToStart(const QString &error, int exitCode)
{
    cli::printError(error);
    QMessageBox box(QMessageBox::Critical, QObject::tr("Leadkeeper"),
                    QObject::tr("Leadkeeper cannot start."));
    box.setTextFormat(Qt::PlainText);
    box.setInformativeText(error);
    box.exec();
    return exitCode;
}

} // namespace

int runDesk(int argc, char **argv)
{
    QApplication app(argc, argv);

    QCommandLineParser parser;
    cli::addCommonOptions(parser);
    if (!parser.parse(QApplication::arguments()))
        return refuseToStart(parser.errorText() + QObject::tr(" (see leadkeeper --help)"),
                             cli::Usage);

    QString error;
    const auto settings = cli::loadSettings(parser, &error);
    if (!settings)
        return refuseToStart(error, cli::Failure);
    auto database = Database::open(settings->databasePath(), &error);
    if (!database)
        return refuseToStart(error, cli::Failure);

    // The composition root of the desk: every service is made once here and handed down.
    LeadLogModel model(std::move(*database));
    ListenerThread listener(*settings);
    // The desk processes leads like `leadkeeper serve` (on worker threads, never this one); with a
    // serve instance on the same database both may work, and a lead is still processed once.
    ProcessingEngine engine(ProcessingEngine::configFrom(*settings));
    ProcessingDispatcher dispatcher(engine, settings->databasePath());
    MainWindow window(&model, &listener);
    DeskController controller(&window, &model, &listener, &engine, *settings);
    // The window shows it; the log keeps it for whoever runs the desk from a terminal or a session.
    QObject::connect(&listener, &ListenerThread::failed, &listener,
                     [](const QString &reason) { qCWarning(lcDesk).noquote() << reason; });
    QObject::connect(&listener, &ListenerThread::deliveryStored, &dispatcher,
                     &ProcessingDispatcher::wake);
    QObject::connect(&engine, &ProcessingEngine::processed, &model, &LeadLogModel::requestRefresh);
    listener.startAsync();
    if (!dispatcher.start(&error))
        qCWarning(lcDesk).noquote() << "processing does not run:" << error;

    window.show();
    const int code = QApplication::exec();
    listener.stop();
    dispatcher.stop();
    return code;
}

} // namespace leadkeeper::ui
