// The one entry point: `leadkeeper` opens the desk, `leadkeeper <command>` runs the CLI/server.

#include "cli/command_line.h"

#include <QCoreApplication>

#ifdef LEADKEEPER_WITH_GUI
#include "desk_entry.h"
#endif

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Leadkeeper"));
    QCoreApplication::setApplicationName(QStringLiteral("leadkeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LEADKEEPER_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}"
                                          "%{if-info}info%{endif}%{if-warning}warning%{endif}"
                                          "%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
                                          "%{category}: %{message}"));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

#ifdef LEADKEEPER_WITH_GUI
    if (leadkeeper::cli::wantsDesk(arguments))
        return leadkeeper::ui::runDesk(argc, argv);
#endif
    QCoreApplication app(argc, argv);
    if (leadkeeper::cli::wantsDesk(arguments)) {
        leadkeeper::cli::printError(QStringLiteral("this build has no desk (built with "
                                                   "LEADKEEPER_GUI=OFF); run leadkeeper serve, or "
                                                   "leadkeeper --help."));
        return leadkeeper::cli::Usage;
    }
    return leadkeeper::cli::run(arguments);
}
