// The desk as composed by DeskController (offscreen): the table's selection drives the detail pane
// and the lead actions, the menus carry the actions' shortcuts, and "Process all matching" follows
// the filter (tst_process_matching runs it to the end).

#include "desk_controller.h"
#include "ingest/listener_thread.h"
#include "lead_detail_pane.h"
#include "lead_log_model.h"
#include "main_window.h"
#include "processing/processing_engine.h"
#include "reprocess_controller.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "temp_store.h"

#include <QAction>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace leadkeeper;
using leadkeeper::test::TempStore;
using namespace leadkeeper::ui;

class TestDeskController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void selectingARowShowsItsDetailsAndEnablesItsActions();
    void menusCarryTheLeadActionsWithShortcuts();
    void processAllMatchingFollowsTheFilter();

private:
    void storeLead(const QString &leadgenId, const QString &status, const QString &error);

    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<LeadLogModel> m_model;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<ProcessingEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<DeskController> m_controller;
};

void TestDeskController::storeLead(const QString &leadgenId, const QString &status,
                                   const QString &error)
{
    QString why;
    auto db = Database::open(m_store->databasePath(), &why);
    QVERIFY2(db, qPrintable(why));
    IncomingLead lead;
    lead.leadgenId = leadgenId;
    lead.pageId = QStringLiteral("1029384756473829");
    lead.formId = QStringLiteral("5647382910564738");
    lead.source = LeadSource::Import;
    lead.rawPayload = QByteArrayLiteral("{}");
    LeadLogStore store(db->sql());
    QVERIFY2(store.storeDelivery({lead}, QDateTime::currentMSecsSinceEpoch(), &why), qPrintable(why));
    QSqlQuery q(db->sql());
    q.prepare(QStringLiteral("UPDATE lead_log SET status = ?, error_message = ?, updated_at = "
                             "updated_at + 1 WHERE leadgen_id = ?"));
    q.addBindValue(status);
    q.addBindValue(error);
    q.addBindValue(leadgenId);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
}

void TestDeskController::init()
{
    m_store = std::make_unique<TempStore>();
    storeLead(QStringLiteral("1000000000000000001"), QStringLiteral("error"),
              QStringLiteral("Phone \"12345\" is not a valid phone number for region US."));
    storeLead(QStringLiteral("1000000000000000002"), QStringLiteral("processed"), QStringLiteral(""));
    const Settings settings = m_store->settings();
    QString error;
    auto db = Database::open(m_store->databasePath(), &error);
    QVERIFY2(db, qPrintable(error));
    m_model = std::make_unique<LeadLogModel>(std::move(*db));
    m_listener = std::make_unique<ListenerThread>(settings);
    ProcessingEngine::Config config = ProcessingEngine::configFrom(settings);
    config.concurrency = 2;
    m_engine = std::make_unique<ProcessingEngine>(config);
    m_window = std::make_unique<MainWindow>(m_model.get(), m_listener.get());
    m_controller = std::make_unique<DeskController>(m_window.get(), m_model.get(), m_listener.get(),
                                                    m_engine.get(), settings);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 2, 5000);
}

void TestDeskController::cleanup()
{
    m_controller.reset();
    m_window.reset();
    m_engine.reset();
    m_listener.reset();
    m_model.reset();
    m_store.reset();
}

void TestDeskController::selectingARowShowsItsDetailsAndEnablesItsActions()
{
    QTableView *table = m_window->leadTable();
    LeadDetailPane *pane = m_controller->detailPane();
    ReprocessController *actions = m_controller->actions();
    QVERIFY(!pane->isShowingLead());

    int errorRow = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < m_model->rowCount(); ++r) {
                if (m_model->index(r, 0).data(LeadLogModel::LeadgenIdRole).toString()
                    == QLatin1String("1000000000000000001"))
                    errorRow = r;
            }
            return errorRow >= 0;
        }(),
        5000);
    table->selectRow(errorRow);
    QTRY_VERIFY_WITH_TIMEOUT(pane->isShowingLead(), 5000);
    QVERIFY2(pane->errorText().contains(QLatin1String("12345")), qPrintable(pane->errorText()));
    QTRY_VERIFY_WITH_TIMEOUT(actions->processAgainAction()->isEnabled(), 5000);
    QVERIFY(actions->markLossAction()->isEnabled());

    // A Processed lead cannot be processed again (DESIGN.md §4).
    table->selectRow(errorRow == 0 ? 1 : 0);
    QTRY_VERIFY_WITH_TIMEOUT(!actions->processAgainAction()->isEnabled(), 5000);
}

void TestDeskController::menusCarryTheLeadActionsWithShortcuts()
{
    QStringList menus;
    for (QAction *a : m_window->menuBar()->actions())
        menus << a->text().remove(QLatin1Char('&'));
    QVERIFY2(menus.contains(QStringLiteral("Lead")) && menus.contains(QStringLiteral("Setup")),
             qPrintable(menus.join(QLatin1Char(','))));
    const ReprocessController *actions = m_controller->actions();
    QCOMPARE(actions->processAgainAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+R")));
    QVERIFY(!actions->correctAction()->shortcut().isEmpty());
    QVERIFY(!actions->markLossAction()->shortcut().isEmpty());
}

void TestDeskController::processAllMatchingFollowsTheFilter()
{
    QAction *matching = m_controller->actions()->processMatchingAction();
    QTRY_VERIFY_WITH_TIMEOUT(matching->isEnabled(), 5000);
    // A free-text filter too: the job takes what the table shows, and the question says so.
    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchBox"));
    QVERIFY(search);
    search->setText(QStringLiteral("12345"));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 1, 5000);
    QVERIFY(matching->isEnabled());
    matching->trigger();
    ReprocessController *actions = m_controller->actions();
    QTRY_VERIFY_WITH_TIMEOUT(actions->confirmation(), 5000);
    const QString question = actions->confirmation()->text();
    QVERIFY2(question.startsWith(QStringLiteral("Process 1 lead again?")), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("The filter shows leads matching “12345”.")),
             qPrintable(question));
    actions->confirmation()->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(matching->isEnabled());
}

QTEST_MAIN(TestDeskController)
#include "tst_desk_controller.moc"
