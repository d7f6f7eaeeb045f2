// CorrectionModel: the "Correct data" table of one lead, under QAbstractItemModelTester. Built
// from in-memory LeadDetails (the model never touches the store).

#include "correction_model.h"
#include "graph_bodies.h"
#include "processing/lead_mapper.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace leadkeeper;

namespace {

FormMapping contactForm()
{
    FormMapping form;
    form.formId = QStringLiteral("5647382910564738");
    form.formName = QStringLiteral("Roof inspection 2025");
    form.rows = {{QStringLiteral("full_name"), QStringLiteral("customer_name"), {},
                  QStringLiteral("trim"), false},
                 {QStringLiteral("phone_number"), QStringLiteral("phone"), {},
                  QStringLiteral("phone"), true},
                 {QStringLiteral("email"), QStringLiteral("email"), {}, QStringLiteral("trim"), false}};
    return form;
}

LeadDetails details(const QString &name, const QString &phone, const QString &email,
                    const QList<Correction> &corrections = {})
{
    LeadDetails d;
    d.entry.id = 7;
    d.entry.leadgenId = QStringLiteral("1000000000000000042");
    d.entry.status = LeadStatus::Error;
    d.entry.leadPayload = test::graphLeadJson(d.entry.leadgenId,
                                              {{QStringLiteral("full_name"), name},
                                               {QStringLiteral("phone_number"), phone},
                                               {QStringLiteral("email"), email}});
    d.form = contactForm();
    d.region = QStringLiteral("US");
    d.corrections = corrections;
    // What processing stored: the errors of mapping with the corrections.
    d.fieldErrors = LeadMapper::map(d.entry.leadPayload, *d.form, corrections, d.region).errors;
    return d;
}

} // namespace

class TestCorrectionModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowTheMapping_data();
    void rowsFollowTheMapping();
    void editingTheCorrectionListsAChange();
    void existingCorrectionIsInEffect();
    void problemColumnJudgesTheTypedCorrection();
    void onlyTheCorrectedColumnIsEditable();
    void leadWithoutMappingHasOnlyErrorRows();
};

void TestCorrectionModel::rowsFollowTheMapping_data()
{
    QTest::addColumn<QString>("phone");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("phoneOriginal");
    QTest::addColumn<bool>("phoneHasError");
    QTest::addColumn<bool>("emailHasError");

    QTest::newRow("bad phone") << "12345" << "ada@example.com" << "12345" << true << false;
    QTest::newRow("good phone, bad e-mail")
        << "(650) 253-0000" << "ada@@example" << "+16502530000" << false << true;
    QTest::newRow("all good") << "+1 650 253 0000" << "ada@example.com" << "+16502530000" << false
                              << false;
}

void TestCorrectionModel::rowsFollowTheMapping()
{
    QFETCH(QString, phone);
    QFETCH(QString, email);
    QFETCH(QString, phoneOriginal);
    QFETCH(bool, phoneHasError);
    QFETCH(bool, emailHasError);

    CorrectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLead(details(QStringLiteral("Ada Lovelace"), phone, email));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(CorrectionModel::ColumnCount));
    const int phoneRow = model.rowOf(QStringLiteral("phone"));
    QCOMPARE(phoneRow, 1);
    QCOMPARE(model.index(phoneRow, CorrectionModel::FieldColumn).data().toString(),
             QStringLiteral("Phone (question phone_number)"));
    QCOMPARE(model.index(phoneRow, CorrectionModel::OriginalColumn).data().toString(), phoneOriginal);
    QCOMPARE(model.index(phoneRow, CorrectionModel::CorrectedColumn).data().toString(), phoneOriginal);
    QCOMPARE(model.index(phoneRow, 0).data(CorrectionModel::HasErrorRole).toBool(), phoneHasError);
    QCOMPARE(model.index(phoneRow, CorrectionModel::ErrorColumn).data().toString().isEmpty(),
             !phoneHasError);
    const int emailRow = model.rowOf(QStringLiteral("email"));
    QCOMPARE(model.index(emailRow, 0).data(CorrectionModel::HasErrorRole).toBool(), emailHasError);
    QVERIFY(!model.hasChanges());
}

void TestCorrectionModel::editingTheCorrectionListsAChange()
{
    CorrectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLead(details(QStringLiteral("Ada Lovelace"), QStringLiteral("12345"),
                          QStringLiteral("ada@example.com")));
    QSignalSpy changes(&model, &CorrectionModel::changesChanged);
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex cell = model.index(model.rowOf(QStringLiteral("phone")),
                                         CorrectionModel::CorrectedColumn);
    QVERIFY(model.setData(cell, QStringLiteral("+1 650 253 0000")));
    QCOMPARE(dataChanged.size(), 1);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.at(0).at(0).toBool(), true);
    QVERIFY(cell.data(CorrectionModel::ChangedRole).toBool());
    QCOMPARE(model.changes(), (QList<QPair<QString, QString>>{
                                  {QStringLiteral("field:phone"), QStringLiteral("+1 650 253 0000")}}));
    // The original stays beside the correction.
    QCOMPARE(model.index(cell.row(), CorrectionModel::OriginalColumn).data().toString(),
             QStringLiteral("12345"));
    // Typing the value in effect again is no change.
    QVERIFY(model.setData(cell, QStringLiteral("12345")));
    QVERIFY(!model.hasChanges());
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.at(1).at(0).toBool(), false);
}

// After a valid correction is typed, the old error no longer reads as if the fix had not worked;
// a correction that is still wrong shows the engine's error for the typed value.
void TestCorrectionModel::problemColumnJudgesTheTypedCorrection()
{
    CorrectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLead(details(QStringLiteral("Ada Lovelace"), QStringLiteral("12345"),
                          QStringLiteral("ada@example.com")));
    const int row = model.rowOf(QStringLiteral("phone"));
    const QModelIndex problem = model.index(row, CorrectionModel::ErrorColumn);
    const QString stored = problem.data().toString();
    QVERIFY2(stored.contains(QStringLiteral("12345")), qPrintable(stored));
    QVERIFY(problem.data(CorrectionModel::HasErrorRole).toBool());

    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setCorrection(QStringLiteral("phone"), QStringLiteral("+1 650 253 0000")));
    QVERIFY(!dataChanged.isEmpty());
    QCOMPARE(problem.data().toString(), QStringLiteral("Corrected: the new value will be used."));
    QVERIFY(!problem.data(CorrectionModel::HasErrorRole).toBool());

    QVERIFY(model.setCorrection(QStringLiteral("phone"), QStringLiteral("999")));
    QVERIFY2(problem.data().toString().contains(QStringLiteral("\"999\"")), qPrintable(problem.data().toString()));
    QVERIFY(problem.data(CorrectionModel::HasErrorRole).toBool());

    // An e-mail typed wrong where there was no problem gets its error at once.
    QVERIFY(model.setCorrection(QStringLiteral("email"), QStringLiteral("ada@@example")));
    const QModelIndex emailProblem = model.index(model.rowOf(QStringLiteral("email")), CorrectionModel::ErrorColumn);
    QVERIFY(emailProblem.data(CorrectionModel::HasErrorRole).toBool());
    QVERIFY(!emailProblem.data().toString().isEmpty());

    // Typed back to what is in effect: the stored error again.
    QVERIFY(model.setCorrection(QStringLiteral("phone"), QStringLiteral("12345")));
    QCOMPARE(problem.data().toString(), stored);
}

void TestCorrectionModel::existingCorrectionIsInEffect()
{
    const QList<Correction> corrections = {
        {QStringLiteral("field:phone"), QStringLiteral("555"), QStringLiteral("maria"), 1000},
        {QStringLiteral("field:phone"), QStringLiteral("+1 650 253 0001"), QStringLiteral("maria"), 2000}};
    CorrectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLead(details(QStringLiteral("Ada"), QStringLiteral("12345"),
                          QStringLiteral("ada@example.com"), corrections));
    const int row = model.rowOf(QStringLiteral("phone"));
    QCOMPARE(model.index(row, CorrectionModel::OriginalColumn).data().toString(), QStringLiteral("12345"));
    QCOMPARE(model.index(row, CorrectionModel::CorrectedColumn).data().toString(),
             QStringLiteral("+1 650 253 0001"));
    QVERIFY(!model.hasChanges());
}

void TestCorrectionModel::onlyTheCorrectedColumnIsEditable()
{
    CorrectionModel model;
    model.setLead(details(QStringLiteral("<b>Ada</b>"), QStringLiteral("12345"),
                          QStringLiteral("ada@example.com")));
    for (int c = 0; c < model.columnCount(); ++c)
        QCOMPARE(bool(model.flags(model.index(0, c)) & Qt::ItemIsEditable),
                 c == CorrectionModel::CorrectedColumn);
    QVERIFY(!model.setData(model.index(0, CorrectionModel::OriginalColumn), QStringLiteral("x")));
    // Lead text is data: the markup comes back exactly as typed.
    QCOMPARE(model.index(0, CorrectionModel::OriginalColumn).data().toString(),
             QStringLiteral("<b>Ada</b>"));
    QVERIFY(model.index(0, 0).data(CorrectionModel::HasErrorRole).toBool());
}

void TestCorrectionModel::leadWithoutMappingHasOnlyErrorRows()
{
    LeadDetails d = details(QStringLiteral("Ada"), QStringLiteral("12345"), QStringLiteral("a@b.co"));
    d.form.reset();
    CorrectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLead(d);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowAt(0).field, QStringLiteral("phone"));
    QCOMPARE(model.rowAt(0).corrected, QStringLiteral("12345"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestCorrectionModel)
#include "tst_correction_model.moc"
