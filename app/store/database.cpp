#include "database.h"
#include "schema_migrator.h"

#include <QAtomicInt>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>

namespace leadkeeper {

namespace {

QAtomicInt g_connectionCounter;

QString nextConnectionName()
{
    return QStringLiteral("leadkeeper-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
}

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = QStringLiteral("%1 failed: %2").arg(sql, q.lastError().text());
        return false;
    }
    return true;
}

/*
 * Reads the schema version of an existing file without writing a byte to it or its -wal file.
 * A read-write connection would checkpoint a left-over WAL into the file when it closes, and even
 * a read-only one creates an empty -wal next to a WAL-mode file. So: with a -wal present, a
 * read-only connection (it reads the WAL, never checkpoints); without one, nobody has the file open
 * in WAL mode and the file alone is the truth, read as immutable (no locks, no side files).
 */
int probeVersion(const QString &path, int busyTimeoutMs, QString *error)
{
    const bool walPresent = QFileInfo::exists(path + QStringLiteral("-wal"));
    int version = -1;
    for (const bool immutable : {!walPresent, false}) {
        const QString name = nextConnectionName() + QStringLiteral("-probe");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            QString options = QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1")
                                  .arg(busyTimeoutMs);
            if (immutable) {
                QUrl url = QUrl::fromLocalFile(path);
                url.setQuery(QStringLiteral("immutable=1"));
                db.setDatabaseName(url.toString(QUrl::FullyEncoded));
                options += QStringLiteral(";QSQLITE_OPEN_URI");
            } else {
                db.setDatabaseName(path);
            }
            db.setConnectOptions(options);
            if (db.open()) {
                version = SchemaMigrator::currentVersion(db, error);
                if (version < 0)
                    error->replace(db.databaseName(), path);
            } else {
                *error = QStringLiteral("Cannot open the database %1: %2")
                             .arg(path, db.lastError().text());
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        // An immutable read can trip over a writer that appeared meanwhile: ask once more, locked.
        if (version >= 0 || !immutable)
            break;
    }
    return version;
}

} // namespace

std::optional<Database> Database::open(const QString &path, const Options &options,
                                       QString *error)
{
    if (path.isEmpty()) {
        *error = QStringLiteral("No database file was given.");
        return std::nullopt;
    }
    const QFileInfo info(path);
    if ((options.readOnly || !options.createIfMissing) && !info.exists()) {
        *error = QStringLiteral("The database %1 does not exist.").arg(info.absoluteFilePath());
        return std::nullopt;
    }
    if (info.exists() && !info.isFile()) {
        *error = QStringLiteral("The database %1 is not a file.").arg(info.absoluteFilePath());
        return std::nullopt;
    }
    if (!options.readOnly && !QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("Cannot create the folder %1 for the database.")
                     .arg(info.absolutePath());
        return std::nullopt;
    }

    // Read the version before writing anything: a newer or foreign file must stay untouched.
    int version = 0;
    if (info.exists() && info.size() > 0) {
        version = probeVersion(info.absoluteFilePath(), options.busyTimeoutMs, error);
        if (version < 0)
            return std::nullopt;
        if (version > SchemaMigrator::latestVersion()) {
            *error = SchemaMigrator::newerDatabaseMessage(info.absoluteFilePath(), version);
            return std::nullopt;
        }
    }
    if (options.readOnly && version < SchemaMigrator::latestVersion()) {
        *error = QStringLiteral("The database %1 needs a schema upgrade; open it once without "
                                "read-only access.")
                     .arg(info.absoluteFilePath());
        return std::nullopt;
    }

    Database d;
    d.m_path = info.absoluteFilePath();
    d.m_connectionName = nextConnectionName();
    d.m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d.m_connectionName);
    d.m_db.setDatabaseName(d.m_path);
    QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
    if (options.readOnly)
        connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
    d.m_db.setConnectOptions(connectOptions);
    if (!d.m_db.open()) {
        *error = QStringLiteral("Cannot open the database %1: %2")
                     .arg(d.m_path, d.m_db.lastError().text());
        return std::nullopt;
    }

    if (!options.readOnly) {
        // Switching a fresh file to WAL needs it to itself for a moment, and SQLite does not
        // always call the busy handler for that: when several connections open a new file at
        // once (a desk and a serve starting together), retry for up to the busy timeout.
        QElapsedTimer waited;
        waited.start();
        for (int pauseMs = 1;; pauseMs = qMin(pauseMs * 2, 50)) {
            QSqlQuery q(d.m_db);
            if (q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && q.next()
                && q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0)
                break;
            const QString why = q.lastError().text();
            if (!why.contains(QLatin1String("locked"), Qt::CaseInsensitive)
                || waited.elapsed() >= options.busyTimeoutMs) {
                *error = QStringLiteral("Cannot switch %1 to write-ahead logging: %2").arg(d.m_path, why);
                return std::nullopt;
            }
            QThread::msleep(pauseMs);
        }
    }
    // temp_store=MEMORY: SQLite's transient tables (RETURNING rows, sorts, the desk's match sets)
    // stay in memory instead of a temporary file opened, written and unlinked per statement; that
    // file churn was ~7 % of the listener's CPU.
    if (!exec(d.m_db, QStringLiteral("PRAGMA synchronous=FULL"), error)
        || !exec(d.m_db, QStringLiteral("PRAGMA foreign_keys=ON"), error)
        || !exec(d.m_db, QStringLiteral("PRAGMA temp_store=MEMORY"), error))
        return std::nullopt;

    // migrate() re-reads the version under the write lock: another process may have got here first.
    if (!options.readOnly && version < SchemaMigrator::latestVersion()
        && !SchemaMigrator::migrate(d.m_db, error))
        return std::nullopt;
    d.m_schemaVersion = SchemaMigrator::latestVersion();
    d.changedElsewhere();
    return d;
}

Database::Database(Database &&other) noexcept
    : m_db(std::move(other.m_db)),
      m_connectionName(std::move(other.m_connectionName)),
      m_path(std::move(other.m_path)),
      m_schemaVersion(other.m_schemaVersion),
      m_dataVersion(other.m_dataVersion)
{
    other.m_db = QSqlDatabase();
    other.m_connectionName.clear();
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::move(other.m_db);
        m_connectionName = std::move(other.m_connectionName);
        m_path = std::move(other.m_path);
        m_schemaVersion = other.m_schemaVersion;
        m_dataVersion = other.m_dataVersion;
        other.m_db = QSqlDatabase();
        other.m_connectionName.clear();
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool Database::changedElsewhere()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return false;
    const qint64 v = q.value(0).toLongLong();
    const bool changed = m_dataVersion >= 0 && v != m_dataVersion;
    m_dataVersion = v;
    return changed;
}

} // namespace leadkeeper
