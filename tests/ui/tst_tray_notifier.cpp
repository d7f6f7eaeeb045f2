// The tray badge and rate-limited notifications, fed by ErrorCountWatcher over a real store.

#include "error_count_watcher.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "temp_store.h"
#include "tray_notifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace leadkeeper;
using leadkeeper::ui::TrayNotifier;

namespace {

/// Stores `n` Pending webhook leads with ids prefix + a counter; returns their ids (empty: failed).
QStringList storePendingLeads(Database &db, const QString &prefix, int n, QString *error)
{
    QList<IncomingLead> leads;
    QStringList ids;
    for (int i = 0; i < n; ++i) {
        IncomingLead l;
        l.leadgenId = prefix + QStringLiteral("%1").arg(i, 4, 10, QLatin1Char('0'));
        l.pageId = QStringLiteral("1");
        l.rawPayload = "{}";
        leads << l;
        ids << l.leadgenId;
    }
    if (!LeadLogStore(db.sql()).storeDelivery(leads, QDateTime::currentMSecsSinceEpoch(), error))
        return {};
    return ids;
}

} // namespace

class TestTrayNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countShowsInTooltipAndIcon();
    void notificationsAreRateLimited();
    void notificationsCanBeOff();
    void watcherCountsErrorLeads();
    void watcherCountsAtMostOncePerIntervalDuringABulkJob();
};

void TestTrayNotifier::countShowsInTooltipAndIcon()
{
    TrayNotifier tray{QIcon()};
    QVERIFY(tray.toolTip().contains(QStringLiteral("no leads in Error")));
    const qint64 plain = tray.icon().pixmap(64, 64).toImage().pixel(46, 14);
    tray.setErrorCount(3, 0);
    QCOMPARE(tray.errorCount(), 3);
    QVERIFY2(tray.toolTip().contains(QStringLiteral("3 leads in Error")), qPrintable(tray.toolTip()));
    QVERIFY(tray.icon().pixmap(64, 64).toImage().pixel(46, 14) != plain); // the badge
    tray.setErrorCount(1, 0);
    QVERIFY(tray.toolTip().contains(QStringLiteral("1 lead in Error")));
}

void TestTrayNotifier::notificationsAreRateLimited()
{
    TrayNotifier tray{QIcon()};
    tray.setMinInterval(std::chrono::milliseconds(300));
    QSignalSpy notified(&tray, &TrayNotifier::notified);
    tray.setErrorCount(1, 1);
    QCOMPARE(notified.size(), 1);
    QCOMPARE(notified.last().at(0).toString(), QStringLiteral("A lead failed"));
    tray.setErrorCount(3, 2);
    tray.setErrorCount(6, 3);
    QCOMPARE(notified.size(), 1); // inside the window: summed, not shown
    QVERIFY(notified.wait(2000));
    QCOMPARE(notified.size(), 2);
    QCOMPARE(notified.last().at(0).toString(), QStringLiteral("5 leads failed"));
    QVERIFY(notified.last().at(1).toString().contains(QStringLiteral("6 leads are in Error")));
    QVERIFY(!notified.wait(600)); // nothing pending, nothing more
}

void TestTrayNotifier::notificationsCanBeOff()
{
    TrayNotifier tray{QIcon()};
    tray.setNotificationsEnabled(false);
    QSignalSpy notified(&tray, &TrayNotifier::notified);
    tray.setErrorCount(4, 4);
    QCOMPARE(notified.size(), 0);
    QCOMPARE(tray.errorCount(), 4); // the badge still counts
}

void TestTrayNotifier::watcherCountsErrorLeads()
{
    test::TempStore store;
    QString error;
    auto db = Database::open(store.databasePath(), &error);
    QVERIFY2(db, qPrintable(error));
    const QStringList ids = storePendingLeads(*db, QStringLiteral("8000000000"), 5, &error);
    QVERIFY2(ids.size() == 5, qPrintable(error));
    QSqlQuery q(db->sql());
    QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id IN "
                                  "('%1', '%2')")
                       .arg(ids.at(0), ids.at(1))));

    ErrorCountWatcher watcher(store.databasePath());
    TrayNotifier tray{QIcon()};
    QObject::connect(&watcher, &ErrorCountWatcher::countChanged, &tray, &TrayNotifier::setErrorCount);
    QSignalSpy changed(&watcher, &ErrorCountWatcher::countChanged);
    QSignalSpy notified(&tray, &TrayNotifier::notified);
    watcher.refresh();
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.last().at(0).toInt(), 2);
    QCOMPARE(changed.last().at(1).toInt(), 0); // the first count is not "new"
    QCOMPARE(tray.errorCount(), 2);
    QCOMPARE(notified.size(), 0);

    QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'error'")));
    watcher.refresh();
    watcher.refresh(); // coalesced
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.last().at(0).toInt(), 5);
    QCOMPARE(changed.last().at(1).toInt(), 3);
    QCOMPARE(notified.size(), 1);
    QVERIFY(notified.last().at(0).toString().contains(QStringLiteral("3 leads failed")));
}

// A bulk job processes hundreds of leads a second and the desk asks for a recount after each: the
// watcher counts once at once, then at most once per interval, and ends on the true count.
void TestTrayNotifier::watcherCountsAtMostOncePerIntervalDuringABulkJob()
{
    test::TempStore store;
    QString error;
    auto db = Database::open(store.databasePath(), &error);
    QVERIFY2(db, qPrintable(error));
    const QStringList ids = storePendingLeads(*db, QStringLiteral("8100000000"), 60, &error);
    QVERIFY2(ids.size() == 60, qPrintable(error));

    ErrorCountWatcher watcher(store.databasePath());
    QSignalSpy changed(&watcher, &ErrorCountWatcher::countChanged);
    QSqlQuery q(db->sql());
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 60; ++i) { // one more Error lead every 5 ms, and a refresh each time
        q.prepare(QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id = ?"));
        q.addBindValue(ids.at(i));
        QVERIFY(q.exec());
        watcher.refresh();
        QTest::qWait(5);
    }
    const qint64 burstMs = clock.elapsed();
    const int countsDuringBurst = int(changed.size());
    // One count at the start, then one per started interval.
    QVERIFY2(countsDuringBurst <= 2 + int(burstMs / ErrorCountWatcher::minIntervalMs()),
             qPrintable(QStringLiteral("%1 counts in %2 ms").arg(countsDuringBurst).arg(burstMs)));
    QTRY_COMPARE_WITH_TIMEOUT(watcher.count(), 60, 5000); // the last refresh is not lost
}

QTEST_MAIN(TestTrayNotifier)
#include "tst_tray_notifier.moc"
