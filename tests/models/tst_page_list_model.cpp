// PageListModel and FormListModel under QAbstractItemModelTester: what the Pages dialog lists.

#include "form_list_model.h"
#include "page_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QLocale>
#include <QTest>

using namespace leadkeeper;

namespace {

PageOverview page(qint64 id, const QString &pageId, const QString &name, bool enabled, const QString &hint)
{
    PageOverview o;
    o.page.id = id;
    o.page.pageId = pageId;
    o.page.name = name;
    o.page.enabled = enabled;
    o.tokenSet = hint.startsWith(QStringLiteral("set"));
    o.tokenHint = hint;
    return o;
}

GraphForm graphForm(const QString &id, const QString &name, const QStringList &keys)
{
    GraphForm f;
    f.id = id;
    f.name = name;
    f.status = QStringLiteral("ACTIVE");
    for (const QString &k : keys)
        f.questions.append({k, k, QStringLiteral("CUSTOM")});
    return f;
}

} // namespace

class TestPageListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pageTexts_data();
    void pageTexts();
    void upsertReplacesOrAppends();
    void fetchedFormsAreNotMapped();
    void savedFormShowsMapped();
};

void TestPageListModel::pageTexts_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<QString>("state");
    QTest::newRow("enabled, token") << true << "set (ends …a1b2)" << "Active";
    QTest::newRow("disabled, no token") << false << "not set" << "Paused";
}

void TestPageListModel::pageTexts()
{
    QFETCH(bool, enabled);
    QFETCH(QString, hint);
    QFETCH(QString, state);
    PageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPages({page(1, QStringLiteral("1029384756473829"), QStringLiteral("Acme Roofing"), enabled, hint)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, PageListModel::NameColumn).data().toString(), QStringLiteral("Acme Roofing"));
    QCOMPARE(model.index(0, PageListModel::StateColumn).data().toString(), state);
    QCOMPARE(model.index(0, PageListModel::TokenColumn).data().toString(), hint);
}

void TestPageListModel::upsertReplacesOrAppends()
{
    PageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPages({page(1, QStringLiteral("111"), QStringLiteral("A"), true, QStringLiteral("not set"))});
    QCOMPARE(model.upsert(page(1, QStringLiteral("111"), QStringLiteral("A renamed"), false,
                               QStringLiteral("set (ends …9999)"))),
             0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("A renamed"));
    QCOMPARE(model.upsert(page(2, QStringLiteral("222"), QStringLiteral("B"), true, QStringLiteral("not set"))), 1);
    QCOMPARE(model.rowOfPageId(QStringLiteral("222")), 1);
}

void TestPageListModel::fetchedFormsAreNotMapped()
{
    FormListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    FormMapping stored;
    stored.id = 7;
    stored.formId = QStringLiteral("555");
    stored.formName = QStringLiteral("Old name");
    stored.rows = {MappingRow{QStringLiteral("email"), QStringLiteral("email"), {}, {}, false}};
    model.setForms({stored});
    const int added = model.mergeFetched({graphForm(QStringLiteral("555"), QStringLiteral("Spring"), {QStringLiteral("email"), QStringLiteral("city")}),
                                          graphForm(QStringLiteral("666"), QStringLiteral("Summer"), {QStringLiteral("full_name")})});
    QCOMPARE(added, 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.entryAt(0).form.id, 7); // still the stored mapping, with fresh questions
    QVERIFY(model.entryAt(0).form.questions.contains("city"));
    QCOMPARE(model.index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("1 question mapped"));
    QCOMPARE(model.entryAt(1).form.id, 0);
    QCOMPARE(model.index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped"));
    QCOMPARE(model.index(1, FormListModel::MetaStatusColumn).data().toString(), QStringLiteral("Active"));
    // Leads that wait for the mapping are counted where it is missing.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setWaiting({{QStringLiteral("666"), 1234}, {QStringLiteral("555"), 2}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(1, FormListModel::MappingColumn).data().toString(),
             QStringLiteral("Not mapped — %1 leads wait").arg(QLocale().toString(1234)));
    QCOMPARE(model.index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("1 question mapped"));
    model.setWaiting({{QStringLiteral("666"), 1}});
    QCOMPARE(model.index(1, FormListModel::MappingColumn).data().toString(), QStringLiteral("Not mapped — 1 lead waits"));
}

void TestPageListModel::savedFormShowsMapped()
{
    FormListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.mergeFetched({graphForm(QStringLiteral("666"), QStringLiteral("Summer"), {QStringLiteral("full_name")})});
    FormMapping saved = model.entryAt(0).form;
    saved.id = 9;
    saved.rows = {MappingRow{QStringLiteral("full_name"), QStringLiteral("customer_name"), {}, {}, false},
                  MappingRow{QStringLiteral("email"), QStringLiteral("email"), {}, {}, false}};
    QCOMPARE(model.upsert(saved), 0);
    QCOMPARE(model.index(0, FormListModel::MappingColumn).data().toString(), QStringLiteral("2 questions mapped"));
}

QTEST_GUILESS_MAIN(TestPageListModel)
#include "tst_page_list_model.moc"
