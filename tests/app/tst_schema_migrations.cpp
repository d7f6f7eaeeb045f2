// Database::open and SchemaMigrator: fresh files are brought to the current schema, reopening is a
// no-op, and a file that is newer or not ours is refused without a byte of it changing.

#include "store/database.h"
#include "store/schema_migrator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace leadkeeper;

namespace {

/// A plain SQLite connection, for building files the way something else would have.
class RawConnection
{
public:
    explicit RawConnection(const QString &path)
        : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.open();
    }
    ~RawConnection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    QSqlDatabase &sql() { return m_db; }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("<missing>");
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

QVariant scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.sql());
    return q.exec(sql) && q.next() ? q.value(0) : QVariant();
}

const QStringList kTables = {
    QStringLiteral("schema_migrations"), QStringLiteral("page_configs"),
    QStringLiteral("form_mappings"),     QStringLiteral("mapping_rows"),
    QStringLiteral("leads"),             QStringLiteral("lead_log"),
    QStringLiteral("lead_log_history"),  QStringLiteral("outbox"),
    QStringLiteral("rejected_deliveries"), QStringLiteral("fetched_forms"),
};

} // namespace

class TestSchemaMigrations : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_fileNumber = 0;

    QString newPath(const QString &suffix = QStringLiteral(".db"))
    {
        return m_dir.filePath(QStringLiteral("f%1%2").arg(++m_fileNumber).arg(suffix));
    }

    static void verifyCurrentSchema(Database &db)
    {
        QCOMPARE(db.schemaVersion(), SchemaMigrator::latestVersion());
        const QStringList tables = db.sql().tables();
        for (const QString &t : kTables)
            QVERIFY2(tables.contains(t), qPrintable(t));
        QCOMPARE(scalar(db, QStringLiteral("SELECT MAX(version) FROM schema_migrations")).toInt(),
                 SchemaMigrator::latestVersion());
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM schema_migrations")).toInt(),
                 SchemaMigrator::latestVersion());
    }

    /// Opening `path` must fail with a message containing `expected`, and leave the file and its
    /// -wal exactly as they were.
    void verifyRefusedUnchanged(const QString &path, const QString &expected)
    {
        const QByteArray before = fileHash(path);
        const QByteArray walBefore = fileHash(path + QStringLiteral("-wal"));
        const QDateTime modifiedBefore = QFileInfo(path).lastModified();
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY(!db);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
        QCOMPARE(fileHash(path), before);
        QCOMPARE(fileHash(path + QStringLiteral("-wal")), walBefore);
        QCOMPARE(QFileInfo(path).lastModified(), modifiedBefore);
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-journal")));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void missingFileBecomesCurrent()
    {
        const QString path = m_dir.filePath(QStringLiteral("sub/folder/new.db"));
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
        QCOMPARE(db->path(), QFileInfo(path).absoluteFilePath());
    }

    void emptyFileBecomesCurrent()
    {
        const QString path = newPath();
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QCOMPARE(QFileInfo(path).size(), 0);
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
    }

    void reopeningIsANoOp()
    {
        const QString path = newPath();
        QString error;
        QString schemaBefore;
        qint64 appliedBefore = 0;
        {
            auto db = Database::open(path, &error);
            QVERIFY2(db, qPrintable(error));
            schemaBefore = scalar(*db, QStringLiteral("SELECT group_concat(sql, ';') FROM "
                                                      "(SELECT sql FROM sqlite_master ORDER BY name)"))
                               .toString();
            appliedBefore = scalar(*db, QStringLiteral("SELECT applied_at FROM schema_migrations "
                                                       "WHERE version = 1"))
                                .toLongLong();
            QVERIFY(!schemaBefore.isEmpty());
        }
        for (int i = 0; i < 2; ++i) {
            auto db = Database::open(path, &error);
            QVERIFY2(db, qPrintable(error));
            verifyCurrentSchema(*db);
            QCOMPARE(scalar(*db, QStringLiteral("SELECT group_concat(sql, ';') FROM (SELECT sql FROM "
                                                "sqlite_master ORDER BY name)"))
                         .toString(),
                     schemaBefore);
            QCOMPARE(scalar(*db, QStringLiteral("SELECT applied_at FROM schema_migrations WHERE "
                                                "version = 1"))
                         .toLongLong(),
                     appliedBefore);
        }
    }

    void version3DatabaseGainsFetchedForms()
    {
        // A database the previous release wrote: schema version 3, a page already connected.
        const QString path = newPath();
        QString error;
        {
            RawConnection raw(path);
            QVERIFY2(SchemaMigrator::migrate(raw.sql(), &error, 3), qPrintable(error));
            QCOMPARE(raw.scalar(QStringLiteral("SELECT MAX(version) FROM schema_migrations")).toInt(), 3);
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO page_configs (page_id, name, created_at, "
                                            "updated_at) VALUES ('104857600123456789', 'Acme', 1, 1)")));
        }
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
        QCOMPARE(scalar(*db, QStringLiteral("SELECT name FROM page_configs")).toString(),
                 QStringLiteral("Acme"));
        QSqlQuery q(db->sql());
        QVERIFY2(q.exec(QStringLiteral("INSERT INTO fetched_forms (page_config_id, position, form_id, "
                                       "fetched_at) SELECT id, 0, '5647382910564738', 1 FROM page_configs")),
                 qPrintable(q.lastError().text()));
        // Removed with their page (foreign keys are on for every connection).
        QVERIFY(q.exec(QStringLiteral("DELETE FROM page_configs")));
        QCOMPARE(scalar(*db, QStringLiteral("SELECT COUNT(*) FROM fetched_forms")).toInt(), 0);
    }

    void twoConnectionsAtOnce()
    {
        // The listener thread and the desk each open their own connection to the same file.
        const QString path = newPath();
        QString error;
        auto first = Database::open(path, &error);
        QVERIFY2(first, qPrintable(error));
        auto second = Database::open(path, &error);
        QVERIFY2(second, qPrintable(error));
        verifyCurrentSchema(*second);
    }

    void concurrentFirstOpenMigratesOnce()
    {
        // Several processes (a serve and a desk) may start on a fresh file at the same moment.
        const QString path = newPath();
        constexpr int kThreads = 4;
        QAtomicInt ready;
        QString errors[kThreads];
        bool ok[kThreads] = {};
        std::unique_ptr<QThread> threads[kThreads];
        for (int i = 0; i < kThreads; ++i) {
            threads[i].reset(QThread::create([&, i] {
                ready.fetchAndAddOrdered(1);
                while (ready.loadAcquire() < kThreads) {
                }
                Database::Options options;
                options.busyTimeoutMs = 30000;
                auto db = Database::open(path, options, &errors[i]);
                ok[i] = db.has_value();
            }));
            threads[i]->start();
        }
        for (auto &t : threads)
            QVERIFY(t->wait(60000));
        for (int i = 0; i < kThreads; ++i)
            QVERIFY2(ok[i], qPrintable(errors[i]));
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
    }

    void pragmasAreInEffect()
    {
        QString error;
        auto db = Database::open(newPath(), &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA journal_mode")).toString().toLower(),
                 QStringLiteral("wal"));
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA synchronous")).toInt(), 2); // FULL
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
        QVERIFY(scalar(*db, QStringLiteral("PRAGMA busy_timeout")).toInt() > 0);
    }

    void newerDatabaseIsRefusedUnchanged_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::addColumn<bool>("leaveWal"); // a newer Leadkeeper was killed: its WAL holds data
        QTest::newRow("rollback journal") << "DELETE" << false;
        QTest::newRow("wal, closed cleanly") << "WAL" << false;
        QTest::newRow("wal, left behind by a crash") << "WAL" << true;
    }

    void newerDatabaseIsRefusedUnchanged()
    {
        QFETCH(QString, journal);
        QFETCH(bool, leaveWal);
        const int newer = SchemaMigrator::latestVersion() + 1;
        // An odd folder name also proves the probe's file: URI finds the right file (were it not
        // to, the fallback probe would leave an empty -wal behind and fail the checks below).
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("odd #dir ?%20 é")));
        const QString built = newPath();
        const QString path = m_dir.filePath(QStringLiteral("odd #dir ?%20 é/") + QFileInfo(newPath()).fileName());
        {
            RawConnection raw(built);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA journal_mode=%1").arg(journal)));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA wal_autocheckpoint=0")));
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY "
                                            "KEY, applied_at INTEGER NOT NULL)")));
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE lead_log (id INTEGER PRIMARY KEY, "
                                            "leadgen_id TEXT, future_column TEXT)")));
            for (int v = 1; v <= newer; ++v)
                QVERIFY(raw.exec(QStringLiteral("INSERT INTO schema_migrations VALUES (%1, 0)").arg(v)));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO lead_log VALUES (1, '42', 'x')")));
            if (leaveWal) {
                // Copy the file and its WAL while the connection is open: what kill -9 leaves.
                QVERIFY(QFileInfo(built + QStringLiteral("-wal")).size() > 0);
                QVERIFY(QFile::copy(built, path));
                QVERIFY(QFile::copy(built + QStringLiteral("-wal"), path + QStringLiteral("-wal")));
            }
        }
        if (!leaveWal)
            QVERIFY(QFile::copy(built, path));
        QCOMPARE(QFileInfo::exists(path + QStringLiteral("-wal")), leaveWal);
        verifyRefusedUnchanged(path, QStringLiteral("newer Leadkeeper"));
        QCOMPARE(QFileInfo::exists(path + QStringLiteral("-wal")), leaveWal);

        // The refusal also holds for read-only opens, and it says which version it found.
        Database::Options readOnly;
        readOnly.readOnly = true;
        QString error;
        QVERIFY(!Database::open(path, readOnly, &error));
        QVERIFY2(error.contains(QStringLiteral("schema version %1").arg(newer)), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("was not changed")), qPrintable(error));
    }

    void foreignSqliteFileIsRefusedUnchanged()
    {
        const QString path = newPath();
        {
            RawConnection raw(path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name "
                                            "TEXT)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO customers VALUES (1, 'Ada')")));
        }
        verifyRefusedUnchanged(path, QStringLiteral("not a Leadkeeper database"));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
        RawConnection raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString().toLower(),
                 QStringLiteral("delete"));
    }

    void fileThatIsNotSqliteIsRefusedUnchanged()
    {
        const QString path = newPath(QStringLiteral(".txt"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("id,name\n1,Ada\n").repeated(200));
        }
        verifyRefusedUnchanged(path, QStringLiteral("cannot be read as an SQLite database"));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    }

    void pathWithCharactersThatUrisEscape()
    {
        // The version probe reads through a file: URI; the path must survive the round trip.
        const QString path = m_dir.filePath(QStringLiteral("odd dir #1 ?%25 é/lead keeper.db"));
        QString error;
        {
            auto db = Database::open(path, &error);
            QVERIFY2(db, qPrintable(error));
        }
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal"))); // closed cleanly
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files).filter(QStringLiteral(".db")).size(),
                 3); // the file, -wal and -shm; no stray file under an unescaped name
    }

    void folderIsRefused()
    {
        QString error;
        QVERIFY(!Database::open(m_dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("not a file")), qPrintable(error));
    }

    void missingFileIsNotCreatedWhenAskedNotTo()
    {
        const QString path = m_dir.filePath(QStringLiteral("typo/leadkeeper.db"));
        Database::Options options;
        options.createIfMissing = false;
        QString error;
        QVERIFY(!Database::open(path, options, &error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath()));
    }

    void readOnlyOpenOfACurrentDatabase()
    {
        const QString path = newPath();
        QString error;
        {
            auto db = Database::open(path, &error);
            QVERIFY2(db, qPrintable(error));
        }
        Database::Options readOnly;
        readOnly.readOnly = true;
        auto db = Database::open(path, readOnly, &error);
        QVERIFY2(db, qPrintable(error));
        verifyCurrentSchema(*db);
        QSqlQuery q(db->sql());
        QVERIFY(!q.exec(QStringLiteral("DELETE FROM lead_log")));
    }
};

QTEST_GUILESS_MAIN(TestSchemaMigrations)
#include "tst_schema_migrations.moc"
