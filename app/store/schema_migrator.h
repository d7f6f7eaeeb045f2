#pragma once

#include <QSqlDatabase>
#include <QString>

namespace leadkeeper {

/**
 * The one place that knows the schema's history.
 *
 * Migrations are numbered SQL files in resources/migrations (compiled in as :/migrations). The
 * applied ones are recorded in table schema_migrations; each migration runs in its own
 * transaction, so a failure leaves the database at the previous version.
 */
class SchemaMigrator
{
public:
    /// Highest schema version this build knows.
    static int latestVersion();

    /// Version recorded in the database: 0 for an empty database, -1 if it is not readable as one
    /// of ours (then *error says why).
    static int currentVersion(QSqlDatabase &db, QString *error);

    /// Applies every missing migration. Refuses (and changes nothing) when the database is newer.
    static bool migrate(QSqlDatabase &db, QString *error);
};

} // namespace leadkeeper
