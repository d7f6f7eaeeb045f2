// LeadDetail: one lead's full details loaded off the GUI thread, stale loads dropped.

#include "desk_sample.h"
#include "lead_detail.h"
#include "store/processing_store.h"

#include <QSignalSpy>
#include <QTest>

using namespace leadkeeper;
using leadkeeper::test::DeskSample;

class TestLeadDetail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsEverythingAboutAnErrorLead();
    void loadsTheLeadOfAProcessedEntry();
    void unknownLeadFails();
    void fastSelectionChangesKeepOnlyTheNewest();
    void clearDropsALoadInFlight();
    void reloadIfShowingFollowsProcessing();
};

void TestLeadDetail::loadsEverythingAboutAnErrorLead()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    QVERIFY(sample.addLead(QStringLiteral("1000000000000000001"), QStringLiteral("Ada Lovelace"),
                           QStringLiteral("12345")));
    auto engine = sample.makeEngine();
    sample.processPending(*engine);

    LeadDetail detail(sample.databasePath(), QStringLiteral("DE"));
    QSignalSpy loaded(&detail, &LeadDetail::loaded);
    detail.load(QStringLiteral("1000000000000000001"));
    QVERIFY(detail.isLoading());
    QVERIFY(loaded.isEmpty()); // never synchronous
    QTRY_COMPARE(loaded.size(), 1);
    const LeadDetails d = loaded.at(0).at(0).value<LeadDetails>();
    QCOMPARE(d.entry.leadgenId, QStringLiteral("1000000000000000001"));
    QCOMPARE(d.entry.status, LeadStatus::Error);
    QVERIFY(!d.entry.leadPayload.isEmpty());
    QVERIFY(!d.entry.rawPayload.isEmpty());
    QCOMPARE(d.fieldErrors.size(), 1);
    QCOMPARE(d.fieldErrors.at(0).field, QStringLiteral("phone"));
    QCOMPARE(d.fieldErrors.at(0).value, QStringLiteral("12345"));
    QCOMPARE(d.pageName, QStringLiteral("Acme Roofing"));
    QVERIFY(d.form);
    QCOMPARE(d.form->formName, QStringLiteral("Roof inspection 2025"));
    QCOMPARE(d.region, QStringLiteral("US")); // the page's region beats the default
    QVERIFY(!d.lead);
    QCOMPARE(d.history.size(), 2); // stored (Pending), then processed (Error)
    QCOMPARE(d.history.first().to, LeadStatus::Pending);
    QCOMPARE(d.history.last().to, LeadStatus::Error);
    QVERIFY(detail.current());
    QCOMPARE(detail.current()->entry.id, d.entry.id);
}

void TestLeadDetail::loadsTheLeadOfAProcessedEntry()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    QVERIFY(sample.addLead(QStringLiteral("1000000000000000002"), QStringLiteral("Grace Hopper"),
                           QStringLiteral("(650) 253-0000")));
    auto engine = sample.makeEngine();
    sample.processPending(*engine);
    const auto d = LeadDetail::read(sample.databasePath(), QStringLiteral("1000000000000000002"),
                                    QStringLiteral("US"), nullptr);
    QVERIFY(d);
    QCOMPARE(d->entry.status, LeadStatus::Processed);
    QVERIFY(d->lead);
    QCOMPARE(d->lead->phone, QStringLiteral("+16502530000"));
    QCOMPARE(d->lead->customerName, QStringLiteral("Grace Hopper"));
    QVERIFY(d->fieldErrors.isEmpty());
}

void TestLeadDetail::unknownLeadFails()
{
    DeskSample sample;
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    QSignalSpy failed(&detail, &LeadDetail::loadFailed);
    detail.load(QStringLiteral("999"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("999"));
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("999")));
    QVERIFY(!detail.current());
}

void TestLeadDetail::fastSelectionChangesKeepOnlyTheNewest()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    for (int i = 0; i < 20; ++i)
        QVERIFY(sample.addLead(QStringLiteral("10000000000000001%1").arg(i, 2, 10, QLatin1Char('0')),
                               QStringLiteral("Lead %1").arg(i), QStringLiteral("12345")));
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    QSignalSpy loaded(&detail, &LeadDetail::loaded);
    QSignalSpy failed(&detail, &LeadDetail::loadFailed);
    for (int i = 0; i < 20; ++i)
        detail.load(QStringLiteral("10000000000000001%1").arg(i, 2, 10, QLatin1Char('0')));
    QTRY_VERIFY(!detail.isLoading() && !loaded.isEmpty());
    QTest::qWait(50);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(loaded.size(), 1); // the 18 in between were never loaded, the first was dropped
    QCOMPARE(loaded.at(0).at(0).value<LeadDetails>().entry.leadgenId,
             QStringLiteral("1000000000000000119"));
}

void TestLeadDetail::clearDropsALoadInFlight()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    QVERIFY(sample.addLead(QStringLiteral("1000000000000000003"), QStringLiteral("Ada"),
                           QStringLiteral("12345")));
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    QSignalSpy loaded(&detail, &LeadDetail::loaded);
    QSignalSpy cleared(&detail, &LeadDetail::cleared);
    detail.load(QStringLiteral("1000000000000000003"));
    detail.clear();
    QCOMPARE(cleared.size(), 1);
    QTRY_VERIFY(!detail.isLoading());
    QTest::qWait(20);
    QCOMPARE(loaded.size(), 0);
    QVERIFY(detail.requestedLeadgenId().isEmpty());
}

void TestLeadDetail::reloadIfShowingFollowsProcessing()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    const QString id = QStringLiteral("1000000000000000004");
    QVERIFY(sample.addLead(id, QStringLiteral("Ada"), QStringLiteral("12345")));
    auto engine = sample.makeEngine();
    sample.processPending(*engine);
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    QSignalSpy loaded(&detail, &LeadDetail::loaded);
    detail.load(id);
    QTRY_COMPARE(loaded.size(), 1);
    detail.reloadIfShowing(detail.current()->entry.id + 1000); // another lead: nothing
    QTest::qWait(20);
    QCOMPARE(loaded.size(), 1);

    ProcessingStore store(sample.sql());
    QString error;
    QVERIFY2(store.markLoss(id, QStringLiteral("No valid contact"), QStringLiteral("maria"), &error),
             qPrintable(error));
    detail.reloadIfShowing(detail.current()->entry.id);
    QTRY_COMPARE(loaded.size(), 2);
    QCOMPARE(detail.current()->entry.status, LeadStatus::Loss);
    QCOMPARE(detail.current()->history.last().actor, QStringLiteral("maria"));
}

QTEST_GUILESS_MAIN(TestLeadDetail)
#include "tst_lead_detail.moc"
