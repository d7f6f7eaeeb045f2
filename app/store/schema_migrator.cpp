#include "schema_migrator.h"

#include <QDateTime>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace leadkeeper {

namespace {

struct Migration
{
    int version;
    const char *resource;
};

constexpr Migration kMigrations[] = {
    {1, ":/migrations/001_initial.sql"},
    {2, ":/migrations/002_desk.sql"},
    {3, ":/migrations/003_day_counts.sql"},
    {4, ":/migrations/004_fetched_forms.sql"},
};

QStringList statementsOf(const QString &script)
{
    QStringList statements;
    QString current;
    const QStringList lines = script.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("--")) || trimmed.isEmpty())
            continue;
        current += line + QLatin1Char('\n');
        // A trigger's body holds statements of its own: it ends at a line that is just "END;".
        const bool inTrigger =
            current.trimmed().startsWith(QLatin1String("CREATE TRIGGER"), Qt::CaseInsensitive);
        if (inTrigger ? trimmed.compare(QLatin1String("END;"), Qt::CaseInsensitive) == 0
                      : trimmed.endsWith(QLatin1Char(';'))) {
            statements << current.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

bool execute(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

int SchemaMigrator::latestVersion()
{
    return std::end(kMigrations)[-1].version;
}

QString SchemaMigrator::newerDatabaseMessage(const QString &path, int version)
{
    return QStringLiteral("The database %1 was written by a newer Leadkeeper (schema version %2; "
                          "this Leadkeeper knows up to %3). It was not changed. Install the newer "
                          "Leadkeeper, or open another database with --db.")
        .arg(path)
        .arg(version)
        .arg(latestVersion());
}

int SchemaMigrator::currentVersion(QSqlDatabase &db, QString *error)
{
    // An explicit query rather than QSqlDatabase::tables(): that one answers "no tables" for a
    // file that is not SQLite at all, which would then be taken for a fresh database.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                               "LIKE 'sqlite\\_%' ESCAPE '\\'"))) {
        *error = QStringLiteral("%1 cannot be read as an SQLite database: %2. Choose another file "
                                "with --db.")
                     .arg(db.databaseName(), q.lastError().text());
        return -1;
    }
    QStringList tables;
    while (q.next())
        tables << q.value(0).toString();
    q.finish();
    if (!tables.contains(QLatin1String("schema_migrations"))) {
        if (!tables.isEmpty()) {
            *error = QStringLiteral("%1 is not a Leadkeeper database (it has tables, but no "
                                    "schema_migrations). It was not changed. Choose another file "
                                    "with --db.")
                         .arg(db.databaseName());
            return -1;
        }
        return 0;
    }
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_migrations")) || !q.next()) {
        *error = QStringLiteral("Cannot read the schema version of %1: %2")
                     .arg(db.databaseName(), q.lastError().text());
        return -1;
    }
    return q.value(0).toInt();
}

bool SchemaMigrator::migrate(QSqlDatabase &db, QString *error, int upTo)
{
    for (const Migration &m : kMigrations) {
        if (m.version > upTo)
            break;
        // IMMEDIATE takes the write lock before the version is read: another process migrating
        // the same fresh file waits here (busy timeout) and then finds the work done.
        QString why;
        if (!execute(db, QStringLiteral("BEGIN IMMEDIATE"), &why)) {
            *error = QStringLiteral("Cannot start the schema upgrade of %1: %2")
                         .arg(db.databaseName(), why);
            return false;
        }
        auto abandon = [&](const QString &message) {
            *error = message;
            QString ignored;
            execute(db, QStringLiteral("ROLLBACK"), &ignored);
            return false;
        };
        const int current = currentVersion(db, error);
        if (current < 0)
            return abandon(*error);
        if (current > latestVersion())
            return abandon(newerDatabaseMessage(db.databaseName(), current));
        if (current >= m.version) {
            execute(db, QStringLiteral("ROLLBACK"), &why);
            continue;
        }
        QFile file(QLatin1String(m.resource));
        if (!file.open(QIODevice::ReadOnly))
            return abandon(QStringLiteral("Migration %1 is missing from this build.").arg(m.version));
        QStringList statements = statementsOf(QString::fromUtf8(file.readAll()));
        if (m.version == 1)
            statements.prepend(QStringLiteral("CREATE TABLE schema_migrations (version INTEGER "
                                              "PRIMARY KEY, applied_at INTEGER NOT NULL)"));
        for (const QString &statement : std::as_const(statements)) {
            if (!execute(db, statement, &why))
                return abandon(QStringLiteral("Schema upgrade to version %1 failed (nothing was "
                                              "changed): %2")
                                   .arg(m.version)
                                   .arg(why));
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
        q.addBindValue(m.version);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec())
            return abandon(QStringLiteral("Schema upgrade to version %1 could not be recorded: %2")
                               .arg(m.version)
                               .arg(q.lastError().text()));
        if (!execute(db, QStringLiteral("COMMIT"), &why))
            return abandon(QStringLiteral("Schema upgrade to version %1 could not be committed: %2")
                               .arg(m.version)
                               .arg(why));
    }
    return true;
}

} // namespace leadkeeper
