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
        if (trimmed.endsWith(QLatin1Char(';'))) {
            statements << current.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

} // namespace

int SchemaMigrator::latestVersion()
{
    return std::end(kMigrations)[-1].version;
}

int SchemaMigrator::currentVersion(QSqlDatabase &db, QString *error)
{
    const QStringList tables = db.tables();
    if (!tables.contains(QLatin1String("schema_migrations"))) {
        if (!tables.isEmpty()) {
            *error = QStringLiteral("%1 is not a Leadkeeper database (it has tables, but no "
                                    "schema_migrations). Choose another file with --db.")
                         .arg(db.databaseName());
            return -1;
        }
        return 0;
    }
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_migrations")) || !q.next()) {
        *error = QStringLiteral("Cannot read the schema version of %1: %2")
                     .arg(db.databaseName(), q.lastError().text());
        return -1;
    }
    return q.value(0).toInt();
}

bool SchemaMigrator::migrate(QSqlDatabase &db, QString *error)
{
    const int current = currentVersion(db, error);
    if (current < 0)
        return false;
    if (current > latestVersion()) {
        *error = QStringLiteral("The database %1 was written by a newer Leadkeeper (schema version "
                                "%2; this Leadkeeper knows up to %3). It was not changed. Install "
                                "the newer Leadkeeper, or open another database with --db.")
                     .arg(db.databaseName())
                     .arg(current)
                     .arg(latestVersion());
        return false;
    }
    for (const Migration &m : kMigrations) {
        if (m.version <= current)
            continue;
        QFile file(QLatin1String(m.resource));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("Migration %1 is missing from this build.").arg(m.version);
            return false;
        }
        const QStringList statements = statementsOf(QString::fromUtf8(file.readAll()));
        if (!db.transaction()) {
            *error = QStringLiteral("Cannot start the schema upgrade: %1").arg(db.lastError().text());
            return false;
        }
        QSqlQuery q(db);
        QStringList all = statements;
        if (m.version == 1)
            all.prepend(QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                       "applied_at INTEGER NOT NULL)"));
        for (const QString &statement : std::as_const(all)) {
            if (!q.exec(statement)) {
                *error = QStringLiteral("Schema upgrade to version %1 failed (nothing was changed): "
                                        "%2")
                             .arg(m.version)
                             .arg(q.lastError().text());
                db.rollback();
                return false;
            }
        }
        q.prepare(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
        q.addBindValue(m.version);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec() || !db.commit()) {
            *error = QStringLiteral("Schema upgrade to version %1 could not be committed: %2")
                         .arg(m.version)
                         .arg(q.lastError().text() + db.lastError().text());
            db.rollback();
            return false;
        }
    }
    return true;
}

} // namespace leadkeeper
