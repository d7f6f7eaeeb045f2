// "Process all matching" on the composed desk (offscreen): whatever the filter bar expresses, the
// bulk job processes exactly the leads the table shows that may be processed again, after the
// user confirmed how many and which.

#include "config/config_store.h"
#include "desk_controller.h"
#include "desk_sample.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "main_window.h"
#include "reprocess_controller.h"
#include "store/processing_store.h"

#include <QAction>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace leadkeeper;
using leadkeeper::test::DeskSample;
using namespace leadkeeper::ui;

namespace {

const QString kErika = QStringLiteral("3000000000000000001");  // Error, matches
const QString kMax = QStringLiteral("3000000000000000002");    // Error, matches
const QString kSchmidt = QStringLiteral("3000000000000000003"); // Error, does not match
const QString kHans = QStringLiteral("3000000000000000004");   // Processed, matches
const QString kPaula = QStringLiteral("3000000000000000005");  // Pending, matches

} // namespace

class TestProcessMatching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void textFilterProcessesExactlyItsErrorLeads();
    void cancellingTheConfirmationProcessesNothing();

private:
    QMessageBox *askToProcessMatching();
    QPushButton *confirmButton() const;

    std::unique_ptr<DeskSample> m_sample;
    std::unique_ptr<ProcessingEngine> m_engine;
    std::unique_ptr<LeadLogModel> m_model;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<DeskController> m_desk;
};

void TestProcessMatching::init()
{
    // Three leads fail on their phone number, one is processed; then staff correct the three
    // phones, so processing any of them again would make it Processed.
    m_sample = std::make_unique<DeskSample>();
    QVERIFY(m_sample->configure());
    const QString bad = QStringLiteral("12345");
    QVERIFY(m_sample->addLead(kErika, QStringLiteral("Erika Mustermann"), bad));
    QVERIFY(m_sample->addLead(kMax, QStringLiteral("Max Mustermann"), bad));
    QVERIFY(m_sample->addLead(kSchmidt, QStringLiteral("Erika Schmidt"), bad));
    QVERIFY(m_sample->addLead(kHans, QStringLiteral("Hans Mustermann"),
                              QStringLiteral("(650) 253-0000")));
    m_engine = m_sample->makeEngine(2);
    m_sample->processPending(*m_engine);
    QCOMPARE(m_sample->entry(kErika)->status, LeadStatus::Error);
    QCOMPARE(m_sample->entry(kSchmidt)->status, LeadStatus::Error);
    QCOMPARE(m_sample->entry(kHans)->status, LeadStatus::Processed);
    ProcessingStore store(m_sample->sql());
    QString error;
    for (const QString &id : {kErika, kMax, kSchmidt})
        QVERIFY2(store.addCorrection(id, QStringLiteral("question:phone_number"),
                                     QStringLiteral("(650) 253-0001"), QStringLiteral("maria"), &error),
                 qPrintable(error));
    // One more arrives and waits for the pipeline: Pending, in flight as far as staff know.
    QVERIFY(m_sample->addLead(kPaula, QStringLiteral("Paula Mustermann"),
                              QStringLiteral("(650) 253-0002")));

    auto db = Database::open(m_sample->databasePath(), &error);
    QVERIFY2(db, qPrintable(error));
    m_model = std::make_unique<LeadLogModel>(std::move(*db));
    m_listener = std::make_unique<ListenerThread>(m_sample->settings());
    m_window = std::make_unique<MainWindow>(m_model.get(), m_listener.get());
    m_desk = std::make_unique<DeskController>(m_window.get(), m_model.get(), m_listener.get(),
                                              m_engine.get(), m_sample->settings());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 5, 5000);

    // The user types a surname: four leads show, one Processed and one Pending.
    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchBox"));
    QVERIFY(search);
    QTest::keyClicks(search, QStringLiteral("mustermann"));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 4, 5000);
    QTRY_VERIFY(m_model->isCountExact());
}

void TestProcessMatching::cleanup()
{
    m_desk.reset();
    m_window.reset();
    m_listener.reset();
    m_model.reset();
    m_engine.reset();
    m_sample.reset();
}

// Triggers Process all matching and waits for its question; nullptr if it is not asked.
QMessageBox *TestProcessMatching::askToProcessMatching()
{
    ReprocessController *actions = m_desk->actions();
    if (!QTest::qWaitFor([actions] { return actions->processMatchingAction()->isEnabled(); }, 5000))
        return nullptr;
    actions->processMatchingAction()->trigger();
    if (!QTest::qWaitFor([actions] { return actions->confirmation() && actions->confirmation()->isVisible(); },
                         5000))
        return nullptr;
    return actions->confirmation();
}

QPushButton *TestProcessMatching::confirmButton() const
{
    QMessageBox *box = m_desk->actions()->confirmation();
    if (!box)
        return nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            return qobject_cast<QPushButton *>(b);
    return nullptr;
}

void TestProcessMatching::textFilterProcessesExactlyItsErrorLeads()
{
    const qint64 hansChanged = m_sample->entry(kHans)->updatedAtMs;
    ReprocessController *actions = m_desk->actions();
    QSignalSpy started(actions, &ReprocessController::jobStarted);
    QSignalSpy finished(actions, &ReprocessController::jobFinished);
    // The question says how many (the Processed and the Pending one are not among them) and
    // which, in words.
    QMessageBox *box = askToProcessMatching();
    QVERIFY(box);
    const QString question = box->text();
    QVERIFY2(question.startsWith(QStringLiteral("Process 2 leads again?")), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("leads matching “mustermann”")), qPrintable(question));
    QCOMPARE(box->textFormat(), Qt::PlainText);
    // Run with LEADKEEPER_SCREENSHOT_DIR=<dir> (under Xvfb for real fonts) to look at it.
    if (const QString dir = qEnvironmentVariable("LEADKEEPER_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(box->grab().save(dir + QStringLiteral("/process-matching-question.png")));
    QPushButton *go = confirmButton();
    QVERIFY(go);
    QCOMPARE(go->text(), QStringLiteral("Process 2 leads"));
    QVERIFY(started.isEmpty()); // nothing runs before the user says so
    go->click();

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(started.at(0).at(1).toInt(), 2);
    const auto summary = finished.at(0).at(0).value<ReprocessSummary>();
    QCOMPARE(summary.total, 2);
    QCOMPARE(summary.processed, 2);
    QCOMPARE(m_sample->entry(kErika)->status, LeadStatus::Processed);
    QCOMPARE(m_sample->entry(kMax)->status, LeadStatus::Processed);
    QCOMPARE(m_sample->entry(kSchmidt)->status, LeadStatus::Error); // not what the filter shows
    QCOMPARE(m_sample->entry(kHans)->updatedAtMs, hansChanged);      // Processed: left alone
    QCOMPARE(m_sample->entry(kPaula)->status, LeadStatus::Pending);  // in flight: left alone
    // The table follows: the three rows of the leads processed are Processed now.
    QTRY_COMPARE_WITH_TIMEOUT(
        [this] {
            int processed = 0;
            for (int row = 0; row < m_model->rowCount(); ++row)
                processed += m_model->index(row, LeadLogModel::StatusColumn).data().toString()
                             == QLatin1String("Processed");
            return processed;
        }(),
        3, 5000);
}

void TestProcessMatching::cancellingTheConfirmationProcessesNothing()
{
    ReprocessController *actions = m_desk->actions();
    QSignalSpy started(actions, &ReprocessController::jobStarted);
    QSignalSpy finished(actions, &ReprocessController::jobFinished);
    QMessageBox *box = askToProcessMatching();
    QVERIFY(box);
    QVERIFY(!actions->processMatchingAction()->isEnabled()); // one bulk job at a time
    box->button(QMessageBox::Cancel)->click();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(finished.at(0).at(0).value<ReprocessSummary>().cancelled);
    QVERIFY(started.isEmpty());
    QVERIFY(actions->processMatchingAction()->isEnabled());
    QCOMPARE(m_sample->entry(kErika)->status, LeadStatus::Error);
    QCOMPARE(m_sample->entry(kMax)->status, LeadStatus::Error);
}

QTEST_MAIN(TestProcessMatching)
#include "tst_process_matching.moc"
