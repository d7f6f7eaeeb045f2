#include "desk_entry.h"

#include "cli/command_line.h"
#include "desk_session.h"
#include "main_window.h"
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

    DeskSession desk(*settings, std::move(*database));
    if (!desk.start(&error))
        qCWarning(lcDesk).noquote() << "processing does not run:" << error;

    desk.window().show();
    const int code = QApplication::exec();
    desk.stop();
    return code;
}

} // namespace leadkeeper::ui
