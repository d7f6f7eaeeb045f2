#pragma once

#include "settings/settings.h"
#include "store/database.h"
#include "table_output.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace leadkeeper::cli {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2 };

/// The options every subcommand (and the desk) accepts: --db, --config, --listen.
void addCommonOptions(QCommandLineParser &parser);
/// Settings from --config / LEADKEEPER_CONFIG, the environment and the common options.
std::optional<Settings> loadSettings(const QCommandLineParser &parser, QString *error);

/// Opens the database of an existing store: a missing file is an error, never created (a mistyped
/// --db must not leave a new empty database behind).
std::optional<Database> openExisting(const Settings &settings, QString *error);

/// What a command works on: its settings and its database, opened once.
struct Session
{
    Settings settings;
    Database db;
};
enum class Access { Existing, CreateIfMissing };
/// Loads the settings and opens the database; on failure prints why and returns nullopt.
std::optional<Session> openSession(const QCommandLineParser &parser, Access access = Access::Existing);

/// The --limit and --format options of the listing commands, validated in one place.
class ListingOptions
{
public:
    ListingOptions(int defaultLimit, QList<TableOutput::Format> formats,
                   TableOutput::Format defaultFormat);
    void addTo(QCommandLineParser &parser) const;
    /// Reads and validates; on a bad value prints why and returns the Usage exit code.
    std::optional<int> read(const QCommandLineParser &parser);
    int limit() const { return m_limit; }
    TableOutput::Format format() const { return m_format; }

private:
    QString formatNames() const;

    QList<TableOutput::Format> m_formats;
    QCommandLineOption m_limitOption;
    QCommandLineOption m_formatOption;
    int m_limit = 0;
    TableOutput::Format m_format;
};

/// Parses `arguments` for a subcommand; on --help prints and returns Ok, on error prints and
/// returns Usage; otherwise returns nullopt and the caller goes on. `positional` names the one
/// positional argument the command requires ("FILE"); empty = none allowed.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const QString &command, const QString &summary,
                               const QString &positional = {});

/// True when the arguments name no subcommand: the desk opens.
bool wantsDesk(const QStringList &arguments);

/// Runs the subcommand named in arguments[1] (a QCoreApplication exists). Returns the exit code.
int run(const QStringList &arguments);

/// Prints to stderr / stdout (the CLI's only output paths).
void printError(const QString &text);
void print(const QString &text);

} // namespace leadkeeper::cli
