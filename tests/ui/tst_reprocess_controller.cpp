// Bulk processing from the desk on the offscreen platform: a real ProcessingEngine on a real
// store, the ReprocessController's actions and the JobProgressWidget that shows the job.

#include "config/config_store.h"
#include "desk_sample.h"
#include "job_progress_widget.h"
#include "lead_detail_pane.h"
#include "reprocess_controller.h"

#include <QAction>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>

using namespace leadkeeper;
using leadkeeper::test::DeskSample;
using namespace leadkeeper::ui;

namespace {

QString leadId(int i)
{
    return QStringLiteral("20000000000000%1").arg(i, 5, 10, QLatin1Char('0'));
}

// Answers "Process N leads again?" with yes, once it is asked.
bool confirm(ReprocessController &controller)
{
    if (!QTest::qWaitFor([&] { return controller.confirmation() != nullptr; }, 10000))
        return false;
    QMessageBox *box = controller.confirmation();
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole) {
            b->click();
            return true;
        }
    return false;
}

} // namespace

class TestReprocessController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bulkProcessShowsProgressCancelAndSummary();
    void bulkActionsFollowSelectionAndFilter();
    void nothingToProcessSaysSo();
    void bulkJobScreenshot();
};

void TestReprocessController::bulkProcessShowsProgressCancelAndSummary()
{
    // 50 leads of a disabled page end Disabled; the page is enabled; they are processed in bulk.
    DeskSample sample;
    QVERIFY(sample.configure(false));
    QStringList ids;
    for (int i = 0; i < 50; ++i) {
        ids << leadId(i);
        QVERIFY(sample.addLead(ids.last(), QStringLiteral("Lead %1").arg(i),
                               QStringLiteral("(650) 253-%1").arg(1000 + i)));
    }
    auto engine = sample.makeEngine(2);
    sample.processPending(*engine);
    QCOMPARE(sample.entry(ids.first())->status, LeadStatus::Disabled);
    QString error;
    QVERIFY(ConfigStore(sample.sql()).setPageEnabled(DeskSample::kPage, true, &error));

    QWidget window;
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    ReprocessController controller(*engine, &detail, QStringLiteral("maria"), &window);
    JobProgressWidget progress(&controller, &window);
    QVERIFY(progress.isHidden());
    QSignalSpy started(&controller, &ReprocessController::jobStarted);
    QSignalSpy finished(&controller, &ReprocessController::jobFinished);

    controller.setSelectedLeadgenIds(ids);
    QVERIFY(controller.processSelectedAction()->isEnabled());
    QCOMPARE(controller.processSelectedAction()->text(), QStringLiteral("Process &selected (50)"));
    // Cancel as soon as the job starts: the leads in hand finish, the others are not started.
    connect(&controller, &ReprocessController::jobStarted, progress.cancelButton(),
            [&progress] { QTimer::singleShot(0, progress.cancelButton(), &QPushButton::click); });
    controller.processSelectedAction()->trigger();
    QVERIFY(controller.isBulkRunning());
    QVERIFY(!controller.processSelectedAction()->isEnabled()); // one bulk job at a time
    QVERIFY(!progress.isHidden());
    QCOMPARE(progress.title(), QStringLiteral("Counting 50 selected leads…"));
    QTRY_COMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(1).toInt(), 50);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    auto summary = finished.at(0).at(0).value<ReprocessSummary>();
    QVERIFY(summary.cancelled);
    QVERIFY2(summary.processed > 0 && summary.processed < 50, qPrintable(summary.describe()));
    QVERIFY(progress.title().startsWith(QStringLiteral("Cancelled")));
    QVERIFY2(progress.summaryText().contains(QStringLiteral("were not started")),
             qPrintable(progress.summaryText()));
    QVERIFY(!controller.isBulkRunning());
    QTRY_COMPARE(engine->inFlight(), 0);
    const int firstRun = summary.processed;

    // Process all matching the filter (Disabled leads of the page): the rest, with progress.
    disconnect(&controller, &ReprocessController::jobStarted, progress.cancelButton(), nullptr);
    ReprocessSelection selection;
    selection.statuses = {LeadStatus::Disabled};
    selection.pageId = DeskSample::kPage;
    controller.setMatchingSelection(selection, QStringLiteral("Disabled leads of Acme Roofing"));
    QSignalSpy progressed(&controller, &ReprocessController::jobProgress);
    controller.processMatchingAction()->trigger();
    QVERIFY(confirm(controller));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    summary = finished.at(1).at(0).value<ReprocessSummary>();
    QVERIFY(!summary.cancelled);
    QCOMPARE(summary.total, 50 - firstRun);
    QCOMPARE(summary.processed, 50 - firstRun);
    QVERIFY(!progressed.isEmpty());
    QCOMPARE(progressed.last().at(0).toInt(), 50 - firstRun);
    QCOMPARE(progress.progressBar()->isHidden(), true);
    QCOMPARE(progress.summaryText(), QStringLiteral("%1 processed.").arg(50 - firstRun));
    for (const QString &id : std::as_const(ids))
        QCOMPARE(sample.entry(id)->status, LeadStatus::Processed);
}

void TestReprocessController::bulkActionsFollowSelectionAndFilter()
{
    DeskSample sample;
    auto engine = sample.makeEngine(1);
    QWidget window;
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    ReprocessController controller(*engine, &detail, QStringLiteral("maria"), &window);
    for (QAction *a : controller.actions())
        QVERIFY2(!a->isEnabled(), qPrintable(a->text())); // nothing selected, no filter
    controller.setSelectedLeadgenIds({leadId(1)});
    QVERIFY(controller.processSelectedAction()->isEnabled());
    QCOMPARE(controller.processSelectedAction()->text(), QStringLiteral("Process &selected"));
    controller.setSelectedLeadgenIds({});
    QVERIFY(!controller.processSelectedAction()->isEnabled());
    controller.setMatchingSelection(ReprocessSelection{});
    QVERIFY(controller.processMatchingAction()->isEnabled());
    controller.setMatchingSelection(std::nullopt);
    QVERIFY(!controller.processMatchingAction()->isEnabled());
}

void TestReprocessController::nothingToProcessSaysSo()
{
    DeskSample sample;
    QVERIFY(sample.configure());
    QVERIFY(sample.addLead(leadId(7), QStringLiteral("Ada"), QStringLiteral("(650) 253-0000")));
    auto engine = sample.makeEngine(1);
    sample.processPending(*engine); // Processed: never processed twice
    QWidget window;
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    ReprocessController controller(*engine, &detail, QStringLiteral("maria"), &window);
    JobProgressWidget progress(&controller, &window);
    QSignalSpy finished(&controller, &ReprocessController::jobFinished);
    controller.setSelectedLeadgenIds({leadId(7)});
    controller.processSelected();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<ReprocessSummary>().total, 0);
    QVERIFY(progress.title().startsWith(QStringLiteral("Nothing to process")));
    QVERIFY(progress.summaryText().contains(QStringLiteral("never processed twice")));
}

// Run with LEADKEEPER_SCREENSHOT_DIR=<dir> (under Xvfb for real fonts) to look at a bulk job.
void TestReprocessController::bulkJobScreenshot()
{
    const QString dir = qEnvironmentVariable("LEADKEEPER_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("LEADKEEPER_SCREENSHOT_DIR is not set");
    DeskSample sample;
    QVERIFY(sample.configure(false));
    QStringList ids;
    for (int i = 0; i < 300; ++i) {
        ids << leadId(i);
        QVERIFY(sample.addLead(ids.last(), QStringLiteral("Lead %1").arg(i),
                               QStringLiteral("(650) 253-%1").arg(1000 + i)));
    }
    auto engine = sample.makeEngine(1);
    sample.processPending(*engine);
    QString error;
    QVERIFY(ConfigStore(sample.sql()).setPageEnabled(DeskSample::kPage, true, &error));

    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    LeadDetail detail(sample.databasePath(), QStringLiteral("US"));
    auto *controller = new ReprocessController(*engine, &detail, QStringLiteral("maria"), &window);
    layout->addWidget(new LeadDetailPane(&detail, controller, &window), 1);
    detail.load(ids.last());
    auto *progress = new JobProgressWidget(controller, &window);
    layout->addWidget(progress);
    window.resize(760, 560);
    window.show();
    QSignalSpy finished(controller, &ReprocessController::jobFinished);
    QTRY_VERIFY(detail.current());
    bool saved = false;
    connect(controller, &ReprocessController::jobProgress, &window, [&](int done, int total) {
        if (!saved && done * 3 >= total) {
            saved = window.grab().save(dir + QStringLiteral("/bulk-job.png"));
        }
    });
    ReprocessSelection selection;
    selection.statuses = {LeadStatus::Disabled};
    controller->setMatchingSelection(selection, QStringLiteral("300 Disabled leads of Acme Roofing"));
    controller->processMatching();
    QVERIFY(confirm(*controller));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QVERIFY(saved);
    QVERIFY(window.grab().save(dir + QStringLiteral("/bulk-job-done.png")));
}

QTEST_MAIN(TestReprocessController)
#include "tst_reprocess_controller.moc"
