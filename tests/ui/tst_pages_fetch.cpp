// "Fetch forms from Meta" in the Pages dialog on the offscreen platform, against a temporary store
// and a FakeGraphServer (PagesDialogEnv): what Meta lists fills the forms, and forms fetched but
// not mapped yet stay listed, with their questions, in a new dialog on the same database file (as
// after a restart), where they can be mapped.

#include "config/config_store.h"
#include "form_list_model.h"
#include "mapping_editor.h"
#include "mapping_table_model.h"
#include "page_list_model.h"
#include "pages_dialog.h"
#include "pages_dialog_env.h"
#include "store/database.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace leadkeeper;
using namespace leadkeeper::test;
using leadkeeper::ui::MappingEditor;
using leadkeeper::ui::PagesDialog;

class TestPagesFetch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void fetchFormsFillsTheForms();
    void fetchedFormsStayListed();
    void fetchedFormIsMappedAfterARestart();
    void answerForAnotherPageIsNotListed();

private:
    PagesDialog *openDialog();
    void addPage(PagesDialog *dialog) { QVERIFY(PagesDialogEnv::addPage(dialog)); }

    std::unique_ptr<PagesDialogEnv> m_env;
    std::unique_ptr<PagesDialog> m_dialog;
};

void TestPagesFetch::init()
{
    m_env = std::make_unique<PagesDialogEnv>();
    QVERIFY(m_env->isValid());
}

void TestPagesFetch::cleanup()
{
    m_dialog.reset();
    m_env.reset();
}

PagesDialog *TestPagesFetch::openDialog()
{
    bool loaded = false;
    m_dialog = m_env->openDialog(&loaded);
    [&] { QVERIFY(loaded); }();
    return m_dialog.get();
}

void TestPagesFetch::fetchFormsFillsTheForms()
{
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring offer"),
                                                  {QStringLiteral("full_name"), QStringLiteral("email"),
                                                   QStringLiteral("phone_number")}),
                                    graphFormJson(QStringLiteral("5647382910564739"), QStringLiteral("Roof check"),
                                                  {QStringLiteral("full_name"), QStringLiteral("phone_number")},
                                                  QStringLiteral("ARCHIVED"))});
    PagesDialog *dialog = openDialog();
    QVERIFY(!dialog->fetchButton()->isEnabled()); // no stored page yet
    addPage(dialog);
    QVERIFY(dialog->fetchButton()->isEnabled());
    QSignalSpy fetched(dialog, &PagesDialog::formsFetched);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QVERIFY(!dialog->fetchButton()->isEnabled()); // busy
    QVERIFY(fetched.wait(5000));
    QCOMPARE(fetched.first().first().toInt(), 2);
    FormListModel *forms = dialog->formModel();
    QCOMPARE(forms->rowCount(), 2);
    QCOMPARE(forms->index(0, FormListModel::NameColumn).data().toString(), QStringLiteral("Spring offer"));
    QCOMPARE(forms->index(1, FormListModel::MetaStatusColumn).data().toString(), QStringLiteral("Archived"));
    QCOMPARE(forms->index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
    QVERIFY(forms->entryAt(0).form.questions.contains("phone_number"));
    QVERIFY(dialog->fetchButton()->isEnabled());
    // The token went to Meta as a bearer header, and fetching mapped no form.
    QCOMPARE(m_env->graph.lastAuthorization(), QByteArray("Bearer ") + kToken.toUtf8());
    auto db = Database::open(m_env->store.databasePath(), nullptr);
    QVERIFY(db);
    QCOMPARE(ConfigStore(db->sql()).forms(dialog->pageModel()->pageAt(0).page.id).size(), 0);
}

// Forms fetched but not mapped yet are not forgotten when the page is selected again or when a
// new dialog is opened (as after a restart: nothing is handed over, Meta is not asked again), and
// the On Meta column is not cut off.
void TestPagesFetch::fetchedFormsStayListed()
{
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring offer"),
                                                  {QStringLiteral("full_name"), QStringLiteral("phone_number")}),
                                    graphFormJson(QStringLiteral("5647382910564739"), QStringLiteral("Roof check"),
                                                  {QStringLiteral("full_name"), QStringLiteral("phone_number")})});
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QSignalSpy fetched(dialog, &PagesDialog::formsFetched);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QVERIFY(fetched.wait(5000));
    QCOMPARE(dialog->formModel()->rowCount(), 2);

    // Away to "Add page" and back: still there.
    for (QPushButton *b : dialog->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Add page"))
            QTest::mouseClick(b, Qt::LeftButton);
    QCOMPARE(dialog->formModel()->rowCount(), 0);
    dialog->selectPage(0);
    QCOMPARE(dialog->formModel()->rowCount(), 2);
    QCOMPARE(dialog->formModel()->index(1, FormListModel::NameColumn).data().toString(), QStringLiteral("Roof check"));

    // A new dialog on the same database file, created after the first was closed, lists them too,
    // with the Unconfigured leads that wait for the first one's mapping.
    const int asked = m_env->graph.requestCount();
    m_dialog.reset();
    {
        auto db = Database::open(m_env->store.databasePath(), nullptr);
        QVERIFY(db);
        QSqlQuery q(db->sql());
        for (const char *id : {"1000000000000000001", "1000000000000000002"})
            QVERIFY(q.exec(QStringLiteral("INSERT INTO lead_log (leadgen_id, page_id, form_id, "
                                          "received_at, status, source, raw_payload, updated_at) "
                                          "VALUES ('%1', '%2', '%3', 1, 'unconfigured', 'webhook', "
                                          "'{}', 1)")
                               .arg(QLatin1String(id), kPageId, kFormId)));
    }
    dialog = openDialog();
    FormListModel *forms = dialog->formModel();
    QCOMPARE(forms->rowCount(), 2);
    QCOMPARE(forms->index(0, FormListModel::NameColumn).data().toString(), QStringLiteral("Spring offer"));
    QCOMPARE(forms->index(0, FormListModel::MetaStatusColumn).data().toString(), QStringLiteral("Active"));
    QCOMPARE(forms->index(0, FormListModel::MappingColumn).data().toString(),
             QStringLiteral("Not mapped — 2 leads wait"));
    QCOMPARE(forms->index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
    QCOMPARE(forms->index(1, FormListModel::NameColumn).data().toString(), QStringLiteral("Roof check"));
    QCOMPARE(m_env->graph.requestCount(), asked);

    // A stored form Meta was not asked about says so, readably.
    FormMapping stored;
    stored.id = 1;
    stored.formId = QStringLiteral("5647382910564740");
    stored.formName = QStringLiteral("Old form");
    forms->upsert(stored);
    QTableView *table = dialog->formTable();
    const int column = FormListModel::MetaStatusColumn;
    QCOMPARE(forms->index(2, column).data().toString(), QStringLiteral("not fetched"));
    const QAbstractItemView *view = table; // sizeHintForColumn is public there
    QTRY_VERIFY2(table->columnWidth(column) >= view->sizeHintForColumn(column),
                 qPrintable(QStringLiteral("%1 < %2").arg(table->columnWidth(column)).arg(view->sizeHintForColumn(column))));
}

// After a restart, "Map questions…" on a form fetched before it suggests the mapping from the
// kept questions, and saving makes it a mapped form; the other fetched form stays listed, unmapped.
void TestPagesFetch::fetchedFormIsMappedAfterARestart()
{
    const QString roofId = QStringLiteral("5647382910564739");
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring offer"),
                                                  {QStringLiteral("full_name"), QStringLiteral("email")}),
                                    graphFormJson(roofId, QStringLiteral("Roof check"),
                                                  {QStringLiteral("full_name"), QStringLiteral("phone_number")},
                                                  QStringLiteral("ARCHIVED"))});
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QSignalSpy fetched(dialog, &PagesDialog::formsFetched);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QVERIFY(fetched.wait(5000));
    m_dialog.reset();

    dialog = openDialog();
    FormListModel *forms = dialog->formModel();
    QCOMPARE(forms->rowCount(), 2);
    QCOMPARE(forms->index(1, FormListModel::NameColumn).data().toString(), QStringLiteral("Roof check"));
    QCOMPARE(forms->index(1, FormListModel::MetaStatusColumn).data().toString(), QStringLiteral("Archived"));
    QCOMPARE(forms->index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
    dialog->formTable()->selectRow(1);
    QPushButton *map = nullptr;
    for (QPushButton *b : dialog->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Map questions…"))
            map = b;
    QVERIFY(map && map->isEnabled());
    QTest::mouseClick(map, Qt::LeftButton);
    auto *editor = dialog->findChild<MappingEditor *>();
    QVERIFY(editor);
    MappingTableModel *model = editor->model();
    QCOMPARE(model->rowCount(), 2); // suggested from the kept questions
    QStringList keys;
    for (int r = 0; r < model->rowCount(); ++r)
        keys << model->index(r, MappingTableModel::QuestionColumn).data(Qt::EditRole).toString();
    QCOMPARE(keys, (QStringList{QStringLiteral("full_name"), QStringLiteral("phone_number")}));
    QVERIFY(editor->saveButton()->isEnabled());
    QSignalSpy saved(editor, &MappingEditor::formSaved);
    QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
    QVERIFY(saved.wait(5000));
    QCOMPARE(forms->index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("2 questions mapped"));
    QCOMPARE(forms->index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
    {
        auto db = Database::open(m_env->store.databasePath(), nullptr);
        QVERIFY(db);
        const auto stored = ConfigStore(db->sql()).forms(dialog->pageModel()->pageAt(0).page.id);
        QCOMPARE(stored.size(), 1); // only the form that was mapped
        QCOMPARE(stored.first().formId, roofId);
        QCOMPARE(stored.first().rows.size(), 2);
    }

    // And after the next restart: the mapped form and the still unmapped one, each listed once.
    m_dialog.reset();
    dialog = openDialog();
    forms = dialog->formModel();
    QCOMPARE(forms->rowCount(), 2);
    QCOMPARE(forms->index(0, FormListModel::FormIdColumn).data().toString(), roofId);
    QCOMPARE(forms->index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("2 questions mapped"));
    QCOMPARE(forms->index(0, FormListModel::MetaStatusColumn).data().toString(), QStringLiteral("Archived"));
    QCOMPARE(forms->index(1, FormListModel::FormIdColumn).data().toString(), kFormId);
    QCOMPARE(forms->index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
}

// "Add page" while Meta is still asked about the selected page: the answer is kept for that page
// but never listed among the forms of the new one.
void TestPagesFetch::answerForAnotherPageIsNotListed()
{
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring offer"),
                                                  {QStringLiteral("full_name")})});
    m_env->graph.setDelayMs(400);
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QPushButton *add = nullptr;
    for (QPushButton *b : dialog->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Add page"))
            add = b;
    QVERIFY(add);
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(dialog->formModel()->rowCount(), 0);
    // The answer arrives, is kept for Acme Roofing, and the new page's list stays empty.
    QTRY_COMPARE_WITH_TIMEOUT(dialog->pageModel()->pageAt(0).fetchedForms.size(), 1, 5000);
    QTest::qWait(50);
    QCOMPARE(dialog->formModel()->rowCount(), 0);
    QVERIFY(!dialog->formStatusLabel()->text().contains(QStringLiteral("found")));
    QVERIFY(!dialog->fetchButton()->isEnabled()); // nothing to fetch for an unsaved page
    // Selecting Acme Roofing again lists what Meta answered.
    dialog->selectPage(0);
    QCOMPARE(dialog->formModel()->rowCount(), 1);
}

QTEST_MAIN(TestPagesFetch)
#include "tst_pages_fetch.moc"
