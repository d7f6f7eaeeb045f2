// The desk as composed by DeskController (offscreen): the table's selection drives the detail pane
// and the lead actions, the menus carry the actions' shortcuts, and "Process all matching" follows
// the filter (tst_process_matching runs it to the end).

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "desk_controller.h"
#include "form_list_model.h"
#include "mapping_editor.h"
#include "page_list_model.h"
#include "pages_dialog.h"
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
#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QMenu>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
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
    void mappingTheShownLeadsFormReloadsItsDetails();
    void moreFiltersNeverWidenTheWindow();

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

// An Unconfigured lead is shown; its form is mapped in Pages and forms; the detail pane follows
// without the lead being selected again.
void TestDeskController::mappingTheShownLeadsFormReloadsItsDetails()
{
    const QString pageId = QStringLiteral("1029384756473829");
    const QString formId = QStringLiteral("5647382910564738");
    {
        QString error;
        auto db = Database::open(m_store->databasePath(), &error);
        QVERIFY2(db, qPrintable(error));
        PageConfig page;
        page.pageId = pageId;
        page.name = QStringLiteral("Acme Roofing");
        QVERIFY2(ConfigStore(db->sql()).savePage(page, &error), qPrintable(error));
        // "Fetch forms from Meta" found the form earlier: the pane names it.
        const auto saved = ConfigStore(db->sql()).page(pageId);
        QVERIFY(saved);
        GraphForm form;
        form.id = formId;
        form.name = QStringLiteral("Spring offer");
        QVERIFY2(FetchedFormStore(db->sql()).replace(saved->id, {form}, 1, &error), qPrintable(error));
    }
    QTableView *table = m_window->leadTable();
    LeadDetailPane *pane = m_controller->detailPane();
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < m_model->rowCount(); ++r)
                if (m_model->index(r, 0).data(LeadLogModel::LeadgenIdRole).toString()
                    == QLatin1String("1000000000000000001"))
                    row = r;
            return row >= 0;
        }(),
        5000);
    table->selectRow(row);
    QTRY_VERIFY_WITH_TIMEOUT(pane->isShowingLead(), 5000);
    const auto paneSays = [pane](const QString &text) {
        for (const QLabel *l : pane->findChildren<QLabel *>())
            if (l->text().contains(text))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(paneSays(QStringLiteral("Spring offer (%1) (not mapped)").arg(formId)), 5000);
    // Why there are no answers, and where to go.
    QVERIFY(paneSays(QStringLiteral("once this lead's page and form are set up and enabled (Setup → "
                                    "Pages and forms)")));

    QAction *pages = nullptr;
    for (QAction *menu : m_window->menuBar()->actions())
        if (menu->menu())
            for (QAction *a : menu->menu()->actions())
                if (a->text().startsWith(QStringLiteral("&Pages")))
                    pages = a;
    QVERIFY(pages);
    pages->trigger();
    auto *dialog = m_window->findChild<PagesDialog *>();
    QVERIFY(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->pageModel()->rowCount(), 1, 5000);
    QTRY_VERIFY(dialog->fetchButton()->isEnabled()); // the page is selected
    GraphForm fetched{formId, QStringLiteral("Spring offer"), QStringLiteral("ACTIVE"),
                      {{QStringLiteral("full_name"), QStringLiteral("Full name"), QStringLiteral("FULL_NAME")},
                       {QStringLiteral("phone_number"), QStringLiteral("Phone"), QStringLiteral("PHONE")}}};
    dialog->formModel()->mergeFetched({fetched});
    dialog->editMapping(0);
    auto *editor = dialog->findChild<MappingEditor *>();
    QVERIFY(editor);
    QVERIFY(editor->saveButton()->isEnabled());
    QSignalSpy saved(editor, &MappingEditor::formSaved);
    QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
    QVERIFY(saved.wait(5000));
    QTRY_VERIFY_WITH_TIMEOUT(!paneSays(QStringLiteral("(not mapped)")), 5000);
    QVERIFY(paneSays(QStringLiteral("Spring offer")));
    dialog->reject();
}

// A date range adds three boxes to the filter bar ("Today's errors" shows one): on a 1280-pixel
// screen the window stays as it was, the boxes give way.
void TestDeskController::moreFiltersNeverWidenTheWindow()
{
    m_window->resize(1280, 720);
    QTRY_COMPARE(m_window->width(), 1280);
    auto *period = m_window->findChild<QComboBox *>(QStringLiteral("periodFilter"));
    QVERIFY(period);
    period->setCurrentIndex(period->findData(QStringLiteral("custom"))); // received, from, to
    QVERIFY(m_window->findChild<QDateEdit *>(QStringLiteral("fromDate"))->isVisible());
    QTest::qWait(50);
    QCOMPARE(m_window->width(), 1280);
    QVERIFY2(m_window->minimumSizeHint().width() <= 1280,
             qPrintable(QString::number(m_window->minimumSizeHint().width())));
}

QTEST_MAIN(TestDeskController)
#include "tst_desk_controller.moc"
