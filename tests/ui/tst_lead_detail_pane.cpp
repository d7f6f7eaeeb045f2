// The detail pane on the offscreen platform, over a real store and a real ProcessingEngine:
// what it shows for an Error lead, the plain-text rule, and select → correct → process → Processed.

#include "correction_dialog.h"
#include "desk_sample.h"
#include "history_timeline.h"
#include "lead_detail_pane.h"
#include "loss_dialog.h"
#include "payload_viewer.h"
#include "reprocess_controller.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace leadkeeper;
using leadkeeper::test::DeskSample;
using namespace leadkeeper::ui;

namespace {

const QString kBad = QStringLiteral("1000000000000000001");

// The pieces of the desk the pane needs, wired as the main window wires them.
struct Desk
{
    DeskSample sample;
    std::unique_ptr<ProcessingEngine> engine;
    std::unique_ptr<QWidget> window;
    LeadDetail *detail = nullptr;
    ReprocessController *actions = nullptr;
    LeadDetailPane *pane = nullptr;

    bool setUp(const QString &name, const QString &phone)
    {
        if (!sample.configure() || !sample.addLead(kBad, name, phone))
            return false;
        engine = sample.makeEngine();
        sample.processPending(*engine);
        window = std::make_unique<QWidget>();
        detail = new LeadDetail(sample.databasePath(), QStringLiteral("US"), window.get());
        actions = new ReprocessController(*engine, detail, QStringLiteral("maria"), window.get());
        pane = new LeadDetailPane(detail, actions, window.get());
        window->resize(760, 900);
        pane->resize(760, 900);
        window->show();
        return true;
    }
    ~Desk() { window.reset(); }
};

} // namespace

class TestLeadDetailPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsWhatIsWrongWithAnErrorLead();
    void leadTextIsPlainText();
    void correctThePhoneThenProcess();
    void lossNeedsAReasonAndCanBeRestored();
    void payloadCopy();
    void screenshots();
};

void TestLeadDetailPane::showsWhatIsWrongWithAnErrorLead()
{
    Desk desk;
    QVERIFY(desk.setUp(QStringLiteral("Ada Lovelace"), QStringLiteral("12345")));
    QVERIFY(!desk.pane->isShowingLead());
    desk.detail->load(kBad);
    QTRY_VERIFY(desk.pane->isShowingLead());
    QVERIFY2(desk.pane->errorText().contains(QStringLiteral("12345")), qPrintable(desk.pane->errorText()));
    QCOMPARE(desk.pane->problemCount(), 1);
    QCOMPARE(desk.pane->timeline()->eventCount(), 2);
    // The payload is pretty printed, ids exact.
    const QString payload = desk.pane->leadPayloadViewer()->text();
    QVERIFY(payload.contains(QStringLiteral("\n  \"id\": \"") + kBad + QLatin1Char('"')));
    QVERIFY(!desk.pane->rawPayloadViewer()->text().isEmpty());
    // The actions follow the status: an Error lead may be processed again, corrected, lost.
    QVERIFY(desk.actions->processAgainAction()->isEnabled());
    QVERIFY(desk.actions->correctAction()->isEnabled());
    QVERIFY(desk.actions->markLossAction()->isEnabled());
    QVERIFY(!desk.actions->restoreAction()->isEnabled());
    QCOMPARE(desk.actions->processAgainAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+R")));
    QCOMPARE(desk.actions->correctAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+E")));
    QCOMPARE(desk.actions->markLossAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+L")));
    QCOMPARE(desk.actions->processSelectedAction()->shortcut(),
             QKeySequence(QStringLiteral("Ctrl+Shift+R")));
}

void TestLeadDetailPane::leadTextIsPlainText()
{
    Desk desk;
    QVERIFY(desk.setUp(QStringLiteral("<b>x</b>"), QStringLiteral("<i>12345</i>")));
    desk.detail->load(kBad);
    QTRY_VERIFY(desk.pane->isShowingLead());
    QCOMPARE(desk.pane->titleText(), QStringLiteral("<b>x</b>"));
    bool shownLiterally = false;
    const auto labels = desk.pane->findChildren<QLabel *>();
    QVERIFY(labels.size() > 20);
    for (const QLabel *label : labels) {
        QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->text()));
        shownLiterally |= label->text() == QLatin1String("<b>x</b>");
    }
    QVERIFY(shownLiterally);
    QCOMPARE(desk.pane->problemCount(), 2); // the markup in the name, and the phone
}

void TestLeadDetailPane::correctThePhoneThenProcess()
{
    Desk desk;
    QVERIFY(desk.setUp(QStringLiteral("Ada Lovelace"), QStringLiteral("12345")));
    desk.detail->load(kBad);
    QTRY_VERIFY(desk.actions->correctAction()->isEnabled());

    desk.actions->correctAction()->trigger();
    CorrectionDialog *dialog = desk.actions->correctionDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(!dialog->saveButton()->isEnabled());
    // The dialog opens on the phone's correction, which shows the value as it failed.
    const QModelIndex cell = dialog->table()->currentIndex();
    QCOMPARE(cell.column(), int(CorrectionModel::CorrectedColumn));
    QCOMPARE(dialog->model()->rowAt(cell.row()).field, QStringLiteral("phone"));
    QCOMPARE(cell.data().toString(), QStringLiteral("12345"));
    QVERIFY(cell.data(CorrectionModel::HasErrorRole).toBool());

    dialog->table()->edit(cell);
    auto *editor = dialog->table()->viewport()->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("(650) 253-0000"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(dialog->model()->changes().size(), 1); // the delegate commits queued
    QVERIFY(dialog->saveButton()->isEnabled());
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(desk.detail->current()
                                 && desk.detail->current()->entry.status == LeadStatus::Processed,
                             10000);
    const LeadDetails &d = *desk.detail->current();
    QVERIFY(d.lead);
    QCOMPARE(d.lead->phone, QStringLiteral("+16502530000"));
    QCOMPARE(d.corrections.size(), 1);
    QCOMPARE(d.corrections.at(0).author, QStringLiteral("maria"));
    QTRY_VERIFY(desk.pane->errorText().isEmpty());
    QCOMPARE(desk.pane->problemCount(), 0);
    QVERIFY(!desk.actions->processAgainAction()->isEnabled()); // Processed is never processed twice
}

void TestLeadDetailPane::lossNeedsAReasonAndCanBeRestored()
{
    Desk desk;
    QVERIFY(desk.setUp(QStringLiteral("Ada Lovelace"), QStringLiteral("12345")));
    desk.detail->load(kBad);
    QTRY_VERIFY(desk.actions->markLossAction()->isEnabled());
    desk.actions->markLossAction()->trigger();
    LossDialog *dialog = desk.actions->lossDialog();
    QVERIFY(dialog);
    QVERIFY(!dialog->okButton()->isEnabled());
    dialog->setReason(QStringLiteral("   "));
    QVERIFY(!dialog->okButton()->isEnabled());
    dialog->setReason(QStringLiteral("No valid phone number or e-mail"));
    QVERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_VERIFY(desk.detail->current() && desk.detail->current()->entry.status == LeadStatus::Loss);
    QTRY_VERIFY(desk.pane->errorText().contains(QStringLiteral("No valid phone number or e-mail")));
    QVERIFY(desk.actions->restoreAction()->isEnabled());
    QVERIFY(!desk.actions->markLossAction()->isEnabled());

    desk.actions->restoreAction()->trigger();
    QTRY_VERIFY(desk.detail->current() && desk.detail->current()->entry.status == LeadStatus::Error);
    QCOMPARE(desk.detail->current()->history.last().actor, QStringLiteral("maria"));
}

void TestLeadDetailPane::payloadCopy()
{
    PayloadViewer viewer(QStringLiteral("nothing"));
    QVERIFY(!viewer.copyButton()->isEnabled());
    viewer.setPayload(R"({"id":1234567890123456789,"field_data":[{"name":"full_name","values":["<b>x</b>"]}]})");
    QVERIFY(viewer.text().contains(QStringLiteral("1234567890123456789")));
    QVERIFY(viewer.text().contains(QStringLiteral("<b>x</b>")));
    QTest::mouseClick(viewer.copyButton(), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), viewer.text());
    viewer.setPayload("not json <i>");
    QCOMPARE(viewer.text(), QStringLiteral("not json <i>"));
}

// Run with LEADKEEPER_SCREENSHOT_DIR=<dir> (under Xvfb for real fonts) to look at the pane.
void TestLeadDetailPane::screenshots()
{
    const QString dir = qEnvironmentVariable("LEADKEEPER_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("LEADKEEPER_SCREENSHOT_DIR is not set");
    Desk desk;
    QVERIFY(desk.setUp(QStringLiteral("Jordan Miller"), QStringLiteral("650-253-00")));
    desk.detail->load(kBad);
    QTRY_VERIFY(desk.pane->isShowingLead());
    QTest::qWait(100);
    QVERIFY(desk.window->grab().save(dir + QStringLiteral("/detail-error-lead.png")));
    desk.pane->tabs()->setCurrentIndex(1);
    QVERIFY(desk.window->grab().save(dir + QStringLiteral("/detail-history.png")));
    desk.pane->tabs()->setCurrentIndex(2);
    QVERIFY(desk.window->grab().save(dir + QStringLiteral("/detail-payload.png")));
    desk.actions->correctAction()->trigger();
    QTRY_VERIFY(desk.actions->correctionDialog() && desk.actions->correctionDialog()->isVisible());
    CorrectionDialog *dialog = desk.actions->correctionDialog();
    dialog->model()->setCorrection(QStringLiteral("phone"), QStringLiteral("(650) 253-0000"));
    QTest::qWait(100);
    QVERIFY(dialog->grab().save(dir + QStringLiteral("/correct-data.png")));
    dialog->reject();
    desk.actions->markLossAction()->trigger();
    QTRY_VERIFY(desk.actions->lossDialog() && desk.actions->lossDialog()->isVisible());
    QTest::qWait(100);
    QVERIFY(desk.actions->lossDialog()->grab().save(dir + QStringLiteral("/loss-dialog.png")));
    desk.actions->lossDialog()->reject();
}

QTEST_MAIN(TestLeadDetailPane)
#include "tst_lead_detail_pane.moc"
