// Migration 003's lead_log_day_counts: entries per status and received (UTC) day stay exact
// through every change the log sees, and an older database is counted when it is upgraded. The
// desk places its rows by them, so a count that drifts shows the wrong lead at a row.

#include "store/database.h"
#include "store/schema_migrator.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace leadkeeper;

namespace {

constexpr qint64 kDayMs = 86'400'000;
constexpr qint64 kDay = 20'000; // 4 October 2024, as days since the epoch

bool exec(Database &db, const QString &sql)
{
    QSqlQuery q(db.sql());
    if (!q.exec(sql)) {
        qWarning() << sql << q.lastError().text();
        return false;
    }
    return true;
}

QStringList rows(Database &db, const QString &sql)
{
    QSqlQuery q(db.sql());
    QStringList out;
    if (!q.exec(sql))
        out << q.lastError().text();
    while (q.next())
        out << QStringLiteral("%1 %2 %3").arg(q.value(0).toString(), q.value(1).toString(),
                                              q.value(2).toString());
    return out;
}

// What the counters say, and what counting the log says.
QStringList counted(Database &db)
{
    return rows(db, QStringLiteral("SELECT status, day, n FROM lead_log_day_counts WHERE n > 0 "
                                   "ORDER BY status, day"));
}

QStringList truth(Database &db)
{
    return rows(db, QStringLiteral("SELECT status, received_at / 86400000, COUNT(*) FROM lead_log "
                                   "GROUP BY 1, 2 ORDER BY 1, 2"));
}

bool insert(Database &db, const QString &leadgenId, qint64 receivedAt, const QString &status)
{
    return exec(db, QStringLiteral("INSERT INTO lead_log (leadgen_id, received_at, status, source, "
                                   "raw_payload, updated_at) VALUES ('%1', %2, '%3', 'webhook', "
                                   "'{}', 0)")
                        .arg(leadgenId)
                        .arg(receivedAt)
                        .arg(status));
}

} // namespace

class TestDayCounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void countsFollowEveryChange()
    {
        QString error;
        auto db = Database::open(m_dir.filePath(QStringLiteral("changes.db")), &error);
        QVERIFY2(db, qPrintable(error));
        // The first and the last millisecond of a day belong to it; the next one does not.
        QVERIFY(insert(*db, QStringLiteral("1"), kDay * kDayMs, QStringLiteral("pending")));
        QVERIFY(insert(*db, QStringLiteral("2"), (kDay + 1) * kDayMs - 1, QStringLiteral("pending")));
        QVERIFY(insert(*db, QStringLiteral("3"), (kDay + 1) * kDayMs, QStringLiteral("pending")));
        QVERIFY(insert(*db, QStringLiteral("4"), (kDay + 1) * kDayMs + 5, QStringLiteral("error")));
        QCOMPARE(counted(*db), (QStringList{QStringLiteral("error 20001 1"),
                                            QStringLiteral("pending 20000 2"),
                                            QStringLiteral("pending 20001 1")}));
        QCOMPARE(counted(*db), truth(*db));

        // Processed, failed, reprocessed: the status moves its count, within its day.
        QVERIFY(exec(*db, QStringLiteral("UPDATE lead_log SET status = 'processed' WHERE leadgen_id IN ('1', '3')")));
        QVERIFY(exec(*db, QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id = '2'")));
        QCOMPARE(counted(*db), truth(*db));
        // Writing the same status again counts nothing twice.
        QVERIFY(exec(*db, QStringLiteral("UPDATE lead_log SET status = status, error_message = 'x'")));
        QCOMPARE(counted(*db), truth(*db));
        // A received time moved to another day moves its count too (nothing does that today).
        QVERIFY(exec(*db, QStringLiteral("UPDATE lead_log SET received_at = received_at - %1 "
                                         "WHERE leadgen_id = '4'").arg(3 * kDayMs)));
        QCOMPARE(counted(*db), truth(*db));
        // Both at once.
        QVERIFY(exec(*db, QStringLiteral("UPDATE lead_log SET received_at = received_at + %1, "
                                         "status = 'loss' WHERE leadgen_id = '2'").arg(kDayMs)));
        QCOMPARE(counted(*db), truth(*db));
        QVERIFY(exec(*db, QStringLiteral("DELETE FROM lead_log WHERE leadgen_id = '3'")));
        QCOMPARE(counted(*db), truth(*db));
        QCOMPARE(counted(*db), (QStringList{QStringLiteral("error 19998 1"),
                                            QStringLiteral("loss 20001 1"),
                                            QStringLiteral("processed 20000 1")}));
    }

    void upgradeCountsTheEntriesAlreadyThere()
    {
        const QString path = m_dir.filePath(QStringLiteral("upgrade.db"));
        QString error;
        {
            // A database the release before migration 003 wrote, with entries.
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v2"));
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QVERIFY2(SchemaMigrator::migrate(raw, &error, 2), qPrintable(error));
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'lead_log_day_counts'")));
            QVERIFY(!q.next());
            for (int i = 0; i < 50; ++i)
                QVERIFY2(q.exec(QStringLiteral("INSERT INTO lead_log (leadgen_id, received_at, status, "
                                               "source, raw_payload, updated_at) VALUES ('%1', %2, "
                                               "'%3', 'webhook', '{}', 0)")
                                    .arg(100 + i)
                                    .arg((kDay + i % 4) * kDayMs + i * 1000)
                                    .arg(i % 3 ? "processed" : "error")),
                         qPrintable(q.lastError().text()));
            q.finish();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v2"));
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), SchemaMigrator::latestVersion());
        QCOMPARE(counted(*db).size(), 8);
        QCOMPARE(counted(*db), truth(*db));
        QVERIFY(insert(*db, QStringLiteral("999"), kDay * kDayMs, QStringLiteral("error")));
        QCOMPARE(counted(*db), truth(*db));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDayCounts)
#include "tst_day_counts.moc"
