// MappingTableModel: suggestions for Meta's standard keys and per-cell validation that keeps Save
// disabled, always under QAbstractItemModelTester.

#include "config/config_store.h"
#include "graph_bodies.h"
#include "mapping_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace leadkeeper;

namespace {

const QStringList kStandardForm = {QStringLiteral("full_name"), QStringLiteral("email"),
                                   QStringLiteral("phone_number"), QStringLiteral("city"),
                                   QStringLiteral("post_code"),
                                   QStringLiteral("what_is_your_budget?")};

QByteArray questionsOf(const QStringList &keys)
{
    // graphFormJson gives {"id","name","status","questions":[...]}; the model wants the array.
    const QByteArray form = test::graphFormJson(QStringLiteral("111"), QStringLiteral("F"), keys);
    const qsizetype at = form.indexOf("\"questions\":") + int(qstrlen("\"questions\":"));
    return form.mid(at, form.lastIndexOf(']') - at + 1);
}

MappingRow row(const QString &key, const QString &field, const QString &transform = {})
{
    MappingRow r;
    r.questionKey = key;
    r.leadField = field;
    r.transform = transform;
    return r;
}

} // namespace

class TestMappingTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suggestions_data();
    void suggestions();
    void suggestionsAreSavable();
    void labelsShowWhatThePersonSaw();
    void invalidCell_data();
    void invalidCell();
    void fixingTheRowUnblocksSave();
    void duplicateFieldMarksTheLaterRow();
    void emptyMappingCannotBeSaved();
    void addAndRemoveRows();
};

void TestMappingTableModel::suggestions_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("transform");
    QTest::addColumn<bool>("mandatory");
    QTest::newRow("full_name") << "full_name" << "customer_name" << "trim|capitalize" << false;
    QTest::newRow("email") << "email" << "email" << "trim|lower" << false;
    QTest::newRow("phone_number") << "phone_number" << "phone" << "phone" << true;
    QTest::newRow("city") << "city" << "city" << "trim|capitalize" << false;
    QTest::newRow("post_code") << "post_code" << "zip_code" << "trim" << false;
    QTest::newRow("custom question") << "what_is_your_budget?" << "custom:what_is_your_budget"
                                     << "trim" << false;
}

void TestMappingTableModel::suggestions()
{
    QFETCH(QString, key);
    QFETCH(QString, field);
    QFETCH(QString, transform);
    QFETCH(bool, mandatory);
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuestions(questionsOf(kStandardForm));
    model.applySuggestions();
    QCOMPARE(model.rowCount(), kStandardForm.size());
    const QList<MappingRow> rows = model.rows();
    const auto it = std::find_if(rows.cbegin(), rows.cend(),
                                 [&](const MappingRow &r) { return r.questionKey == key; });
    QVERIFY(it != rows.cend());
    QCOMPARE(it->leadField, field);
    QCOMPARE(it->transform, transform);
    QCOMPARE(it->mandatory, mandatory);
}

void TestMappingTableModel::suggestionsAreSavable()
{
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuestions(questionsOf(kStandardForm + QStringList{QStringLiteral("zip_code")}));
    model.applySuggestions();
    QVERIFY2(model.isValid(), qPrintable(model.firstError()));
    FormMapping form;
    form.formId = QStringLiteral("111");
    form.rows = model.rows();
    QCOMPARE(ConfigStore::validateForm(form), QString());
    // post_code took zip_code first; the form's own zip_code question is kept as a custom field.
    QCOMPARE(model.rows().last().leadField, QStringLiteral("custom:zip_code"));
}

void TestMappingTableModel::labelsShowWhatThePersonSaw()
{
    MappingTableModel model;
    model.setQuestions(questionsOf(kStandardForm));
    model.applySuggestions();
    const QModelIndex phone = model.index(2, MappingTableModel::FieldColumn);
    QCOMPARE(phone.data(Qt::DisplayRole).toString(), QStringLiteral("Phone"));
    QCOMPARE(phone.data(Qt::EditRole).toString(), QStringLiteral("phone"));
    const QModelIndex question = model.index(2, MappingTableModel::QuestionColumn);
    QCOMPARE(question.data(Qt::EditRole).toString(), QStringLiteral("phone_number"));
    QVERIFY(question.data(Qt::DisplayRole).toString() != QStringLiteral("phone_number"));
}

void TestMappingTableModel::invalidCell_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("badColumn");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("unknown field") << int(MappingTableModel::FieldColumn) << "telefon"
                                   << int(MappingTableModel::FieldColumn) << "not a Lead field";
    QTest::newRow("bad custom field") << int(MappingTableModel::FieldColumn) << "custom:Budget!"
                                      << int(MappingTableModel::FieldColumn) << "not a Lead field";
    QTest::newRow("bad transform") << int(MappingTableModel::TransformColumn) << "trim|shout"
                                   << int(MappingTableModel::TransformColumn) << "shout";
    QTest::newRow("empty key") << int(MappingTableModel::QuestionColumn) << ""
                               << int(MappingTableModel::QuestionColumn) << "question";
    QTest::newRow("empty key part") << int(MappingTableModel::QuestionColumn) << "first_name+"
                                    << int(MappingTableModel::QuestionColumn) << "first_name+last_name";
    QTest::newRow("no field") << int(MappingTableModel::FieldColumn) << ""
                              << int(MappingTableModel::FieldColumn) << "Lead field";
}

void TestMappingTableModel::invalidCell()
{
    QFETCH(int, column);
    QFETCH(QString, value);
    QFETCH(int, badColumn);
    QFETCH(QString, reasonContains);
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({row(QStringLiteral("full_name"), QStringLiteral("customer_name")),
                   row(QStringLiteral("phone_number"), QStringLiteral("phone"), QStringLiteral("phone"))});
    QVERIFY(model.isValid());
    QSignalSpy validity(&model, &MappingTableModel::validityChanged);

    QVERIFY(model.setData(model.index(1, column), value, Qt::EditRole));
    QVERIFY(!model.isValid());
    QCOMPARE(validity.size(), 1);
    QCOMPARE(validity.first().first().toBool(), false);
    QCOMPARE(model.invalidRowCount(), 1);
    const QString reason = model.index(1, badColumn).data(MappingTableModel::CellErrorRole).toString();
    QVERIFY2(reason.contains(reasonContains), qPrintable(reason));
    // Every cell of the bad row explains itself; the good row does not complain.
    QCOMPARE(model.index(1, MappingTableModel::DefaultColumn).data(Qt::ToolTipRole).toString(), reason);
    QVERIFY(model.index(0, 0).data(MappingTableModel::RowErrorRole).toString().isEmpty());
    QVERIFY(model.firstError().startsWith(QStringLiteral("Row 2: ")));
    // The engine refuses the same rows.
    FormMapping form;
    form.formId = QStringLiteral("111");
    form.rows = model.rows();
    QVERIFY(!ConfigStore::validateForm(form).isEmpty());
}

void TestMappingTableModel::fixingTheRowUnblocksSave()
{
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({row(QStringLiteral("phone_number"), QStringLiteral("telefon"), QStringLiteral("phone"))});
    QVERIFY(!model.isValid());
    QSignalSpy validity(&model, &MappingTableModel::validityChanged);
    QVERIFY(model.setData(model.index(0, MappingTableModel::FieldColumn), QStringLiteral("phone"),
                          Qt::EditRole));
    QVERIFY(model.isValid());
    QCOMPARE(validity.size(), 1);
    QCOMPARE(validity.first().first().toBool(), true);
    QCOMPARE(model.firstError(), QString());
}

void TestMappingTableModel::duplicateFieldMarksTheLaterRow()
{
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({row(QStringLiteral("phone_number"), QStringLiteral("phone")),
                   row(QStringLiteral("work_phone"), QStringLiteral("phone"))});
    QVERIFY(!model.isValid());
    QVERIFY(model.cellError(0, MappingTableModel::FieldColumn).isEmpty());
    QVERIFY(model.cellError(1, MappingTableModel::FieldColumn).contains(QStringLiteral("row 1")));
    QVERIFY(model.removeRows(0, 1));
    QVERIFY(model.isValid());
}

void TestMappingTableModel::emptyMappingCannotBeSaved()
{
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({});
    QVERIFY(!model.isValid());
    QVERIFY(!model.firstError().isEmpty());
}

void TestMappingTableModel::addAndRemoveRows()
{
    MappingTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({row(QStringLiteral("email"), QStringLiteral("email"))});
    QVERIFY(model.isValid());
    const int added = model.appendRow();
    QCOMPARE(added, 1);
    QVERIFY(!model.isValid()); // a fresh row names nothing yet
    QVERIFY(model.setData(model.index(1, MappingTableModel::QuestionColumn), QStringLiteral("first_name+last_name"),
                          Qt::EditRole));
    QVERIFY(model.setData(model.index(1, MappingTableModel::FieldColumn), QStringLiteral("customer_name"),
                          Qt::EditRole));
    QVERIFY(model.setData(model.index(1, MappingTableModel::MandatoryColumn), Qt::Checked,
                          Qt::CheckStateRole));
    QVERIFY(model.isValid());
    QVERIFY(model.rows().at(1).mandatory);
    QVERIFY(model.removeRows(0, 2));
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestMappingTableModel)
#include "tst_mapping_table_model.moc"
