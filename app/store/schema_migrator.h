#pragma once

#include <QSqlDatabase>
#include <QString>

namespace leadkeeper {

/**
 * The one place that knows the schema's history.
 *
 * Migrations are numbered SQL files in resources/migrations (compiled in as :/migrations). The
 * applied ones are recorded in table schema_migrations. Each migration runs in its own IMMEDIATE
 * transaction that re-reads the version first, so a failure leaves the database at the previous
 * version and two processes opening a fresh file at the same time apply each migration once.
 */
class SchemaMigrator
{
public:
    /// Highest schema version this build knows.
    static int latestVersion();

    /// Version recorded in the database: 0 for an empty database, -1 if it cannot be read or is
    /// not one of ours (then *error says why). Only reads.
    static int currentVersion(QSqlDatabase &db, QString *error);

    /// The refusal for a database a newer Leadkeeper wrote (schema `version` > latestVersion()).
    static QString newerDatabaseMessage(const QString &path, int version);

    /// Applies every missing migration (up to version `upTo`: tests make the files older releases
    /// wrote with it). Refuses (and changes nothing) when the database is newer or not one of ours.
    static bool migrate(QSqlDatabase &db, QString *error, int upTo = latestVersion());
};

} // namespace leadkeeper
