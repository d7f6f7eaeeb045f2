#pragma once

#include "settings/settings.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace leadkeeper::cli {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2 };

/// The options every subcommand (and the desk) accepts: --db, --config, --listen.
void addCommonOptions(QCommandLineParser &parser);
/// Settings from --config / LEADKEEPER_CONFIG, the environment and the common options.
std::optional<Settings> loadSettings(const QCommandLineParser &parser, QString *error);

/// Opens the database for a command that only reads: a missing file is an error, never created.
std::optional<Database> openExisting(const Settings &settings, QString *error);

/// Parses `arguments` for a subcommand; on --help prints and returns Ok, on error prints and
/// returns Usage; otherwise returns nullopt and the caller goes on.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &command, const QString &summary);

/// True when the arguments name no subcommand: the desk opens.
bool wantsDesk(const QStringList &arguments);

/// Runs the subcommand named in arguments[1] (a QCoreApplication exists). Returns the exit code.
int run(const QStringList &arguments);

/// Prints to stderr / stdout (the CLI's only output paths).
void printError(const QString &text);
void print(const QString &text);

} // namespace leadkeeper::cli
