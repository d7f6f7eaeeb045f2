// The Pages dialog, page editor and mapping editor on the offscreen platform, against a temporary
// store, an owner-only secrets file and a FakeGraphServer (PagesDialogEnv). Fetching forms from
// Meta, and what stays of it, is tst_pages_fetch.

#include "config/config_store.h"
#include "config/secret_store.h"
#include "form_list_model.h"
#include "mapping_editor.h"
#include "mapping_table_model.h"
#include "page_editor.h"
#include "page_list_model.h"
#include "pages_dialog.h"
#include "pages_dialog_env.h"
#include "store/database.h"
#include "store/lead_log_store.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace leadkeeper;
using namespace leadkeeper::test;
using leadkeeper::ui::MappingEditor;
using leadkeeper::ui::PageEditor;
using leadkeeper::ui::PagesDialog;

class TestPagesEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void pageValidation_data();
    void pageValidation();
    void freshFormShowsAHintNotAnError();
    void savePageKeepsTokenOutOfSight();
    void testTokenShowsExpiryAndMissingPermission();
    void mappingEditorBlocksInvalidRowsAndOffersWaitingLeads();
    void screenshots();

private:
    PageAdminContext context() const { return m_env->context(); }
    PagesDialog *openDialog();
    void addPage(PagesDialog *dialog) { QVERIFY(PagesDialogEnv::addPage(dialog)); }

    std::unique_ptr<PagesDialogEnv> m_env;
    std::unique_ptr<PagesDialog> m_dialog;
};

void TestPagesEditor::init()
{
    m_env = std::make_unique<PagesDialogEnv>();
    QVERIFY(m_env->isValid());
}

void TestPagesEditor::cleanup()
{
    m_dialog.reset();
    m_env.reset();
}

PagesDialog *TestPagesEditor::openDialog()
{
    bool loaded = false;
    m_dialog = m_env->openDialog(&loaded);
    [&] { QVERIFY(loaded); }();
    return m_dialog.get();
}

void TestPagesEditor::pageValidation_data()
{
    QTest::addColumn<QString>("pageId");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("problem"); // "" = Save enabled
    QTest::newRow("valid") << kPageId << "Acme" << "DE" << "";
    QTest::newRow("valid, no region") << kPageId << "Acme" << "" << "";
    QTest::newRow("lower-case region is corrected") << kPageId << "Acme" << "de" << "";
    QTest::newRow("no page id") << "" << "Acme" << "" << "page id";
    QTest::newRow("letters in page id") << "acme-roofing" << "Acme" << "" << "digits only";
    QTest::newRow("no name") << kPageId << "  " << "" << "needs a name";
    QTest::newRow("nothing typed") << "" << "" << "" << "Enter the page id.";
    QTest::newRow("region of one letter") << kPageId << "Acme" << "D" << "region code";
}

void TestPagesEditor::pageValidation()
{
    QFETCH(QString, pageId);
    QFETCH(QString, name);
    QFETCH(QString, region);
    QFETCH(QString, problem);
    PageEditor editor(context());
    editor.show();
    QTest::keyClicks(editor.pageIdEdit(), pageId);
    QTest::keyClicks(editor.nameEdit(), name);
    QTest::keyClicks(editor.regionEdit(), region);
    QCOMPARE(editor.saveButton()->isEnabled(), problem.isEmpty());
    if (problem.isEmpty()) {
        QCOMPARE(editor.editedPage().defaultRegion, region.toUpper());
    } else {
        QVERIFY2(editor.problemLabel()->text().contains(problem, Qt::CaseInsensitive),
                 qPrintable(editor.problemLabel()->text()));
        QVERIFY(editor.problemLabel()->isVisible());
    }
}

// A new user opening "Add page" sees what to type, not a red complaint about an empty id.
void TestPagesEditor::freshFormShowsAHintNotAnError()
{
    PagesDialog *dialog = openDialog();
    PageEditor *editor = dialog->pageEditor();
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->problemLabel()->text(), QStringLiteral("Enter the page id."));
    QVERIFY2(!editor->problemLabel()->styleSheet().contains(QStringLiteral("#b00020")),
             qPrintable(editor->problemLabel()->styleSheet()));
    QVERIFY(!editor->saveButton()->isEnabled());
    // A valid id without a name yet is still a hint.
    QTest::keyClicks(editor->pageIdEdit(), kPageId);
    QVERIFY(!editor->saveButton()->isEnabled());
    QVERIFY(editor->problemLabel()->text().contains(QStringLiteral("needs a name")));
    QVERIFY(!editor->problemLabel()->styleSheet().contains(QStringLiteral("#b00020")));
    // A wrong id is a mistake, in red, with the precise message.
    editor->pageIdEdit()->clear();
    QTest::keyClicks(editor->pageIdEdit(), QStringLiteral("acme"));
    QCOMPARE(editor->problemLabel()->text(),
             QStringLiteral("The page id \"acme\" is not a Facebook page id (expected digits only)."));
    QVERIFY(editor->problemLabel()->styleSheet().contains(QStringLiteral("#b00020")));
    QVERIFY(!editor->saveButton()->isEnabled());
}

void TestPagesEditor::savePageKeepsTokenOutOfSight()
{
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QCOMPARE(dialog->pageModel()->rowCount(), 1);
    const QString hint = dialog->pageModel()->index(0, PageListModel::TokenColumn).data().toString();
    QCOMPARE(hint, QStringLiteral("set (ends …a1b2)"));
    QVERIFY(dialog->pageEditor()->tokenEdit()->text().isEmpty());
    QCOMPARE(dialog->pageEditor()->tokenEdit()->echoMode(), QLineEdit::Password);
    // Stored where the pipeline reads it, under the page's token ref.
    SecretStore secrets(context().secrets);
    QString error;
    QCOMPARE(secrets.token(ConfigStore::defaultTokenRef(kPageId), &error).value_or(QString()), kToken);
    // A dialog opened later lists the page with the same hint, read on a worker thread.
    m_dialog.reset();
    dialog = openDialog();
    QCOMPARE(dialog->pageModel()->rowCount(), 1);
    QCOMPARE(dialog->pageModel()->index(0, PageListModel::TokenColumn).data().toString(), hint);
    QCOMPARE(dialog->pageEditor()->nameEdit()->text(), QStringLiteral("Acme Roofing"));
}

void TestPagesEditor::testTokenShowsExpiryAndMissingPermission()
{
    const QDateTime expiry = QDateTime::currentDateTime().addDays(40);
    m_env->graph.setDebugToken(kToken.toUtf8(),
                           graphDebugTokenJson(true, expiry.toSecsSinceEpoch(),
                                               {QStringLiteral("leads_retrieval"), QStringLiteral("pages_show_list"),
                                                QStringLiteral("pages_read_engagement"), QStringLiteral("pages_manage_ads")}));
    PageEditor editor(context());
    editor.show();
    editor.pageIdEdit()->setText(kPageId);
    editor.nameEdit()->setText(QStringLiteral("Acme"));
    editor.tokenEdit()->setText(kToken);
    QVERIFY(editor.testTokenButton()->isEnabled());
    QTest::mouseClick(editor.testTokenButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(editor.tokenResultLabel()->text().contains(QStringLiteral("Valid")), 5000);
    const QString text = editor.tokenResultLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("expires")), qPrintable(text));
    QVERIFY2(text.contains(QLocale().toString(expiry.date(), QLocale::LongFormat)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("missing permissions: pages_manage_metadata")), qPrintable(text));
    QVERIFY2(!text.contains(kToken), "the token never appears");

    // An expired token says so.
    m_env->graph.setDebugToken(kToken.toUtf8(), graphDebugTokenJson(false, 1735725600, {}));
    QTest::mouseClick(editor.testTokenButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(editor.tokenResultLabel()->text().contains(QStringLiteral("Not valid")), 5000);
    QVERIFY(editor.tokenResultLabel()->text().contains(QStringLiteral("expired")));
}

void TestPagesEditor::mappingEditorBlocksInvalidRowsAndOffersWaitingLeads()
{
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring offer"),
                                                  {QStringLiteral("full_name"), QStringLiteral("email"),
                                                   QStringLiteral("phone_number")})});
    // Two leads of the form waited as Unconfigured; one of another page does not count.
    {
        QString error;
        auto db = Database::open(m_env->store.databasePath(), &error);
        QVERIFY2(db, qPrintable(error));
        LeadLogStore log(db->sql());
        QList<IncomingLead> leads;
        for (int i = 0; i < 3; ++i) {
            IncomingLead l;
            l.leadgenId = QStringLiteral("90000000000000%1").arg(i);
            l.pageId = i < 2 ? kPageId : QStringLiteral("111");
            l.formId = kFormId;
            l.rawPayload = "{}";
            leads << l;
        }
        QVERIFY2(log.storeDelivery(leads, QDateTime::currentMSecsSinceEpoch(), &error), qPrintable(error));
        QSqlQuery q(db->sql());
        QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'unconfigured'")));
    }
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QSignalSpy fetched(dialog, &PagesDialog::formsFetched);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QVERIFY(fetched.wait(5000));

    dialog->editMapping(0);
    auto *editor = dialog->findChild<MappingEditor *>();
    QVERIFY(editor);
    MappingTableModel *model = editor->model();
    QCOMPARE(model->rowCount(), 3); // suggested at once
    QVERIFY(editor->saveButton()->isEnabled());

    QVERIFY(model->setData(model->index(2, MappingTableModel::FieldColumn), QStringLiteral("telefon"), Qt::EditRole));
    QVERIFY(!editor->saveButton()->isEnabled());
    QVERIFY(model->setData(model->index(2, MappingTableModel::FieldColumn), QStringLiteral("email"), Qt::EditRole));
    QVERIFY(!editor->saveButton()->isEnabled()); // duplicate of row 2
    QVERIFY(model->setData(model->index(2, MappingTableModel::FieldColumn), QStringLiteral("phone"), Qt::EditRole));
    QVERIFY(editor->saveButton()->isEnabled());

    QSignalSpy saved(editor, &MappingEditor::formSaved);
    QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
    QVERIFY(saved.wait(5000));
    QCOMPARE(saved.first().at(1).toInt(), 2);
    QCOMPARE(dialog->formModel()->index(0, FormListModel::MappingColumn).data().toString(),
             QStringLiteral("3 questions mapped"));
    QTRY_VERIFY(dialog->processOfferButton()->isVisible());
    QCOMPARE(dialog->processOfferButton()->text(), QStringLiteral("Process these 2 leads now"));

    QSignalSpy offer(dialog, &PagesDialog::processWaitingRequested);
    QTest::mouseClick(dialog->processOfferButton(), Qt::LeftButton);
    QCOMPARE(offer.size(), 1);
    const auto selection = offer.first().first().value<ReprocessSelection>();
    QCOMPARE(selection.pageId, kPageId);
    QCOMPARE(selection.formId, kFormId);
    QVERIFY(selection.statuses.contains(LeadStatus::Unconfigured));
    QVERIFY(!dialog->processOfferButton()->isVisible());
}

// With LEADKEEPER_SCREENSHOT_DIR=<folder> (run under xvfb-run), saves the dialogs as people see them.
void TestPagesEditor::screenshots()
{
    const QString folder = qEnvironmentVariable("LEADKEEPER_SCREENSHOT_DIR");
    if (folder.isEmpty())
        QSKIP("LEADKEEPER_SCREENSHOT_DIR is not set");
    m_env->graph.setForms(kPageId, {graphFormJson(kFormId, QStringLiteral("Spring roof check 2025"),
                                                  {QStringLiteral("full_name"), QStringLiteral("email"),
                                                   QStringLiteral("phone_number"), QStringLiteral("city"),
                                                   QStringLiteral("post_code"), QStringLiteral("when_should_we_call?")}),
                                    graphFormJson(QStringLiteral("5647382910564739"), QStringLiteral("Gutter cleaning offer"),
                                                  {QStringLiteral("full_name"), QStringLiteral("phone_number")},
                                                  QStringLiteral("ARCHIVED"))});
    PagesDialog *dialog = openDialog();
    addPage(dialog);
    QSignalSpy fetched(dialog, &PagesDialog::formsFetched);
    QTest::mouseClick(dialog->fetchButton(), Qt::LeftButton);
    QVERIFY(fetched.wait(5000));
    QTest::qWait(100);
    QVERIFY(dialog->grab().save(QDir(folder).filePath(QStringLiteral("pages-dialog.png"))));

    dialog->editMapping(0);
    auto *editor = dialog->findChild<MappingEditor *>();
    QVERIFY(editor);
    MappingTableModel *model = editor->model();
    // One row the admin got wrong, so the picture shows how a problem looks.
    QVERIFY(model->setData(model->index(4, MappingTableModel::FieldColumn), QStringLiteral("postcode"), Qt::EditRole));
    QTest::qWait(100);
    QVERIFY(editor->grab().save(QDir(folder).filePath(QStringLiteral("mapping-editor.png"))));
}

QTEST_MAIN(TestPagesEditor)
#include "tst_pages_editor.moc"
