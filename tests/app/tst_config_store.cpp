// ConfigStore: pages and forms saved, read back and removed; a form saved with its rows as one
// unit that replaces the old rows; invalid input refused with a sentence and nothing written;
// lookup() as the pipeline sees it; replacePages() all or nothing.

#include "config/config_store.h"
#include "store/database.h"
#include "temp_store.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace leadkeeper;

namespace {

PageConfig acme()
{
    PageConfig p;
    p.pageId = QStringLiteral("104857600123456789");
    p.name = QStringLiteral("Acme Roofing");
    p.defaultRegion = QStringLiteral("DE");
    return p;
}

FormMapping roofQuote(qint64 pageConfigId)
{
    FormMapping f;
    f.pageConfigId = pageConfigId;
    f.formId = QStringLiteral("1234567890123456");
    f.formName = QStringLiteral("Roof quote");
    f.questions = R"([{"key":"full_name","label":"Full name","type":"FULL_NAME"}])";
    f.rows = {{QStringLiteral("full_name"), QStringLiteral("customer_name"), QString(),
               QStringLiteral("trim|capitalize"), true},
              {QStringLiteral("phone_number"), QStringLiteral("phone"), QString(), QString(), true},
              {QStringLiteral("email"), QStringLiteral("email"), QStringLiteral("none@example.com"),
               QStringLiteral("trim|lower"), false}};
    return f;
}

} // namespace

class TestConfigStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TempStore> m_temp;
    std::optional<Database> m_db;
    std::unique_ptr<ConfigStore> m_store;

    int count(const QString &table)
    {
        QSqlQuery q(m_db->sql());
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) || !q.next())
            return -1;
        return q.value(0).toInt();
    }

    /// Every configuration row, in a stable order: "nothing changed" means this is equal.
    QStringList dump()
    {
        QStringList rows;
        QSqlQuery q(m_db->sql());
        for (const char *sql :
             {"SELECT id, page_id, name, enabled, default_region, token_ref, updated_at FROM page_configs ORDER BY id",
              "SELECT id, page_config_id, form_id, form_name, questions, enabled, updated_at FROM form_mappings ORDER BY id",
              "SELECT id, form_mapping_id, position, question_key, lead_field, default_value, transform, mandatory FROM mapping_rows ORDER BY id"}) {
            q.exec(QLatin1String(sql));
            while (q.next()) {
                QStringList cells;
                for (int i = 0; i < q.record().count(); ++i)
                    cells << q.value(i).toString();
                rows << cells.join(QLatin1Char('|'));
            }
        }
        return rows;
    }

    PageConfig savedAcme()
    {
        PageConfig p = acme();
        QString error;
        if (!m_store->savePage(p, &error))
            qWarning() << error;
        return p;
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<test::TempStore>();
        QString error;
        m_db = Database::open(m_temp->databasePath(), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_store = std::make_unique<ConfigStore>(m_db->sql());
    }

    void cleanup()
    {
        m_store.reset();
        m_db.reset();
        m_temp.reset();
    }

    void savesAndReadsAPage()
    {
        PageConfig p = acme();
        QString error;
        QVERIFY2(m_store->savePage(p, &error), qPrintable(error));
        QVERIFY(p.id > 0);
        QCOMPARE(p.tokenRef, QStringLiteral("page:104857600123456789"));
        QVERIFY(p.updatedAtMs > 0);

        const auto read = m_store->page(p.pageId, &error);
        QVERIFY(read);
        QVERIFY(error.isEmpty());
        QCOMPARE(read->id, p.id);
        QCOMPARE(read->name, QStringLiteral("Acme Roofing"));
        QCOMPARE(read->defaultRegion, QStringLiteral("DE"));
        QCOMPARE(read->enabled, true);
        QCOMPARE(read->tokenRef, p.tokenRef);
        QCOMPARE(m_store->pageById(p.id)->pageId, p.pageId);
        QVERIFY(!m_store->page(QStringLiteral("999"), &error));
        QVERIFY2(error.isEmpty(), "not found is not an error");
    }

    void savingTheSamePageIdUpdates()
    {
        savedAcme();
        PageConfig again = acme();
        again.name = QStringLiteral("Acme Roofing GmbH");
        again.defaultRegion.clear();
        QString error;
        QVERIFY2(m_store->savePage(again, &error), qPrintable(error));
        QCOMPARE(count(QStringLiteral("page_configs")), 1);
        QCOMPARE(m_store->page(again.pageId)->name, QStringLiteral("Acme Roofing GmbH"));
        QCOMPARE(m_store->page(again.pageId)->defaultRegion, QString());
    }

    void savingByRowIdMayCorrectThePageId()
    {
        PageConfig p = savedAcme();
        p.pageId = QStringLiteral("555");
        QString error;
        QVERIFY2(m_store->savePage(p, &error), qPrintable(error));
        QVERIFY(!m_store->page(acme().pageId));
        QCOMPARE(m_store->page(QStringLiteral("555"))->id, p.id);

        PageConfig other = acme();
        QVERIFY(m_store->savePage(other, &error));
        other.pageId = QStringLiteral("555");
        QVERIFY(!m_store->savePage(other, &error));
        QVERIFY2(error.contains(QLatin1String("555")), qPrintable(error));
    }

    void invalidPagesAreRefused_data()
    {
        QTest::addColumn<QString>("pageId");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("letters in id") << "12a4" << "Acme" << "" << "12a4";
        QTest::newRow("empty id") << "" << "Acme" << "" << "page id";
        QTest::newRow("negative id") << "-5" << "Acme" << "" << "-5";
        QTest::newRow("empty name") << "123" << "  " << "" << "name";
        QTest::newRow("lower-case region") << "123" << "Acme" << "de" << "\"de\"";
        QTest::newRow("three-letter region") << "123" << "Acme" << "DEU" << "DEU";
    }

    void invalidPagesAreRefused()
    {
        QFETCH(QString, pageId);
        QFETCH(QString, name);
        QFETCH(QString, region);
        QFETCH(QString, mentions);
        PageConfig p;
        p.pageId = pageId;
        p.name = name;
        p.defaultRegion = region;
        QString error;
        QVERIFY(!m_store->savePage(p, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QCOMPARE(count(QStringLiteral("page_configs")), 0);
    }

    void enablesAndRemovesPages()
    {
        const PageConfig p = savedAcme();
        QString error;
        QVERIFY(m_store->setPageEnabled(p.pageId, false, &error));
        QCOMPARE(m_store->page(p.pageId)->enabled, false);
        QVERIFY(!m_store->setPageEnabled(QStringLiteral("42"), false, &error));
        QVERIFY(error.contains(QLatin1String("42")));

        FormMapping f = roofQuote(p.id);
        QVERIFY2(m_store->saveForm(f, &error), qPrintable(error));
        QVERIFY(m_store->removePage(p.pageId, &error));
        QCOMPARE(count(QStringLiteral("page_configs")), 0);
        QCOMPARE(count(QStringLiteral("form_mappings")), 0);
        QCOMPARE(count(QStringLiteral("mapping_rows")), 0);
        QVERIFY(!m_store->removePage(p.pageId, &error));
    }

    void listsPagesByName()
    {
        PageConfig b = acme();
        b.pageId = QStringLiteral("2");
        b.name = QStringLiteral("Bravo Windows");
        PageConfig a = acme();
        a.pageId = QStringLiteral("3");
        a.name = QStringLiteral("Alpha Doors");
        QString error;
        QVERIFY(m_store->savePage(b, &error));
        QVERIFY(m_store->savePage(a, &error));
        const QList<PageConfig> pages = m_store->listPages(&error);
        QVERIFY(error.isEmpty());
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages.at(0).name, QStringLiteral("Alpha Doors"));
        QCOMPARE(pages.at(1).name, QStringLiteral("Bravo Windows"));
    }

    void savesAFormWithItsRows()
    {
        const PageConfig p = savedAcme();
        FormMapping f = roofQuote(p.id);
        QString error;
        QVERIFY2(m_store->saveForm(f, &error), qPrintable(error));
        QVERIFY(f.id > 0);
        const auto read = m_store->form(p.id, f.formId, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->formName, QStringLiteral("Roof quote"));
        QCOMPARE(read->questions, f.questions);
        QCOMPARE(read->rows.size(), 3);
        QCOMPARE(read->rows.at(0).questionKey, QStringLiteral("full_name"));
        QCOMPARE(read->rows.at(0).transform, QStringLiteral("trim|capitalize"));
        QCOMPARE(read->rows.at(0).mandatory, true);
        QCOMPARE(read->rows.at(2).defaultValue, QStringLiteral("none@example.com"));
        QCOMPARE(read->rows.at(2).mandatory, false);
        QCOMPARE(m_store->forms(p.id).size(), 1);
        QCOMPARE(m_store->forms(p.id).constFirst().rows.size(), 3);
    }

    void savingAFormReplacesItsRows()
    {
        const PageConfig p = savedAcme();
        FormMapping f = roofQuote(p.id);
        QString error;
        QVERIFY(m_store->saveForm(f, &error));
        const qint64 firstId = f.id;
        FormMapping again = roofQuote(p.id);
        again.rows = {{QStringLiteral("phone_number"), QStringLiteral("phone"), QString(),
                       QStringLiteral("phone"), true}};
        again.enabled = false;
        QVERIFY2(m_store->saveForm(again, &error), qPrintable(error));
        QCOMPARE(again.id, firstId);
        QCOMPARE(count(QStringLiteral("mapping_rows")), 1);
        const auto read = m_store->form(p.id, f.formId);
        QCOMPARE(read->enabled, false);
        QCOMPARE(read->rows.size(), 1);
        QCOMPARE(read->rows.constFirst().transform, QStringLiteral("phone"));
    }

    void invalidFormsAreRefusedNamingTheRow_data()
    {
        QTest::addColumn<QString>("formId");
        QTest::addColumn<QString>("question");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("transform");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("form id not digits") << "abc" << "email" << "email" << "" << "abc";
        QTest::newRow("unknown field") << "77" << "tel" << "telefon" << "" << "telefon";
        QTest::newRow("unknown transform") << "77" << "tel" << "phone" << "shout" << "shout";
        QTest::newRow("empty question") << "77" << "" << "phone" << "" << "Row 4";
        QTest::newRow("field mapped twice") << "77" << "mail" << "phone" << "" << "Row 4";
    }

    void invalidFormsAreRefusedNamingTheRow()
    {
        QFETCH(QString, formId);
        QFETCH(QString, question);
        QFETCH(QString, field);
        QFETCH(QString, transform);
        QFETCH(QString, mentions);
        const PageConfig p = savedAcme();
        FormMapping good = roofQuote(p.id);
        QString error;
        QVERIFY(m_store->saveForm(good, &error));
        const QStringList before = dump();

        FormMapping bad = roofQuote(p.id);
        bad.formId = formId;
        bad.rows << MappingRow{question, field, QString(), transform, false};
        QVERIFY(!m_store->saveForm(bad, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QCOMPARE(dump(), before);
    }

    void aFormNeedsAnExistingPage()
    {
        FormMapping f = roofQuote(4711);
        QString error;
        QVERIFY(!m_store->saveForm(f, &error));
        QVERIFY2(error.contains(QLatin1String("page config")), qPrintable(error));
        QCOMPARE(count(QStringLiteral("form_mappings")), 0);
    }

    void enablesAndRemovesForms()
    {
        const PageConfig p = savedAcme();
        FormMapping f = roofQuote(p.id);
        QString error;
        QVERIFY(m_store->saveForm(f, &error));
        QVERIFY(m_store->setFormEnabled(p.id, f.formId, false, &error));
        QCOMPARE(m_store->form(p.id, f.formId)->enabled, false);
        QVERIFY(m_store->removeForm(p.id, f.formId, &error));
        QVERIFY(!m_store->form(p.id, f.formId));
        QCOMPARE(count(QStringLiteral("mapping_rows")), 0);
        QVERIFY(!m_store->removeForm(p.id, f.formId, &error));
        QVERIFY(!m_store->setFormEnabled(p.id, f.formId, true, &error));
    }

    void lookupForThePipeline()
    {
        QString error;
        QVERIFY2(!m_store->lookup(acme().pageId, QStringLiteral("1"), &error), "no page: nullopt");
        QVERIFY(error.isEmpty());

        const PageConfig p = savedAcme();
        auto found = m_store->lookup(p.pageId, QStringLiteral("999"), &error);
        QVERIFY(found);
        QVERIFY(error.isEmpty());
        QCOMPARE(found->first.id, p.id);
        QVERIFY2(!found->second, "form not mapped");

        FormMapping f = roofQuote(p.id);
        QVERIFY(m_store->saveForm(f, &error));
        found = m_store->lookup(p.pageId, f.formId, &error);
        QVERIFY(found && found->second);
        QCOMPARE(found->second->id, f.id);
        QCOMPARE(found->second->rows.size(), 3);
        QCOMPARE(found->first.defaultRegion, QStringLiteral("DE"));
    }

    void lookupReportsADatabaseFailure()
    {
        savedAcme();
        QSqlQuery q(m_db->sql());
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE page_configs RENAME TO page_configs_gone")));
        QString error;
        QVERIFY(!m_store->lookup(acme().pageId, QStringLiteral("1"), &error));
        QVERIFY2(!error.isEmpty(), "a failure is not 'unconfigured'");
    }

    void replacePagesWritesAllOrNothing()
    {
        const PageConfig existing = savedAcme();
        FormMapping kept = roofQuote(existing.id);
        FormMapping dropped = roofQuote(existing.id);
        dropped.formId = QStringLiteral("222");
        QString error;
        QVERIFY(m_store->saveForm(kept, &error));
        QVERIFY(m_store->saveForm(dropped, &error));
        PageConfig untouched = acme();
        untouched.pageId = QStringLiteral("333");
        untouched.name = QStringLiteral("Untouched");
        QVERIFY(m_store->savePage(untouched, &error));

        PageWithForms update{acme(), {roofQuote(0)}};
        update.page.name = QStringLiteral("Acme Roofing (renamed)");
        update.forms[0].rows.removeLast();
        PageWithForms added{acme(), {}};
        added.page.pageId = QStringLiteral("444");
        QList<PageWithForms> pages{update, added};
        QVERIFY2(m_store->replacePages(pages, &error), qPrintable(error));

        QCOMPARE(pages.at(0).page.id, existing.id);
        QCOMPARE(pages.at(0).forms.at(0).id, kept.id);
        QCOMPARE(m_store->page(acme().pageId)->name, QStringLiteral("Acme Roofing (renamed)"));
        QCOMPARE(m_store->forms(existing.id).size(), 1);
        QCOMPARE(m_store->form(existing.id, kept.formId)->rows.size(), 2);
        QVERIFY(m_store->page(QStringLiteral("444")));
        QCOMPARE(m_store->page(QStringLiteral("444"))->tokenRef, QStringLiteral("page:444"));
        QCOMPARE(m_store->page(QStringLiteral("333"))->name, QStringLiteral("Untouched"));

        // One bad form anywhere: nothing at all is written.
        const QStringList before = dump();
        PageWithForms fine{acme(), {}};
        fine.page.pageId = QStringLiteral("555");
        PageWithForms broken{acme(), {roofQuote(0)}};
        broken.forms[0].rows[1].leadField = QStringLiteral("telefon");
        QList<PageWithForms> bad{fine, broken};
        QVERIFY(!m_store->replacePages(bad, &error));
        QVERIFY2(error.contains(QLatin1String("telefon")), qPrintable(error));
        QCOMPARE(dump(), before);

        QList<PageWithForms> twice{fine, fine};
        QVERIFY(!m_store->replacePages(twice, &error));
        QCOMPARE(dump(), before);
    }

    void textIsBoundNotInterpreted()
    {
        PageConfig p = acme();
        p.name = QStringLiteral("Robert'); DROP TABLE page_configs;--");
        QString error;
        QVERIFY(m_store->savePage(p, &error));
        QCOMPARE(m_store->page(p.pageId)->name, p.name);
        QCOMPARE(count(QStringLiteral("page_configs")), 1);
    }
};

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_config_store.moc"
