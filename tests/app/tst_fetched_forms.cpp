// Fetched forms in the store (FetchedFormStore, PageAdmin::fetchForms / loadPages): what Meta
// listed is kept in Meta's order with its questions, a later fetch replaces it, a failed fetch
// changes nothing, the form mappings the pipeline reads are never touched, the rows go with their
// page, and everything is still there when the database file is opened again.

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "config/page_admin.h"
#include "fake_graph_server.h"
#include "store/database.h"
#include "temp_store.h"

#include <QDateTime>
#include <QDir>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace leadkeeper;

namespace {

const QString kPageId = QStringLiteral("104857600123456789");
const QString kSpring = QStringLiteral("5647382910564738");
const QString kRoof = QStringLiteral("5647382910564739");
const QString kGutter = QStringLiteral("5647382910564740");
const QString kToken = QStringLiteral("EAAGtestpagetoken0000a1b2");

GraphForm form(const QString &id, const QString &name, const QStringList &keys,
               const QString &status = QStringLiteral("ACTIVE"))
{
    GraphForm f{id, name, status, {}};
    for (const QString &key : keys)
        f.questions.append(
            {key, key.toUpper() + QStringLiteral(" label"), QStringLiteral("CUSTOM")});
    return f;
}

/// One line per form, everything the dialog shows or the mapping editor uses.
QStringList describe(const QList<GraphForm> &forms)
{
    QStringList lines;
    for (const GraphForm &f : forms) {
        QStringList questions;
        for (const GraphQuestion &q : f.questions)
            questions << QStringLiteral("%1:%2:%3").arg(q.key, q.label, q.type);
        lines << QStringLiteral("%1|%2|%3|%4")
                     .arg(f.id, f.name, f.status, questions.join(QLatin1Char(',')));
    }
    return lines;
}

} // namespace

class TestFetchedForms : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TempStore> m_temp;
    std::optional<Database> m_db;
    PageConfig m_page;

    int count(const QString &sql)
    {
        QSqlQuery q(m_db->sql());
        return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
    }

    /// Every form mapping and mapping row: "untouched" means this is equal.
    QStringList mappingDump()
    {
        QStringList rows;
        QSqlQuery q(m_db->sql());
        for (const char *sql : {"SELECT * FROM form_mappings ORDER BY id",
                                "SELECT * FROM mapping_rows ORDER BY id"}) {
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

    PageAdminContext adminContext(const test::FakeGraphServer &graph) const
    {
        PageAdminContext c;
        c.databasePath = m_temp->databasePath();
        c.secrets.backend = SecretStore::Backend::File;
        c.secrets.directory = QDir(m_temp->dir()).filePath(QStringLiteral("secrets"));
        c.secrets.honourEnvironment = false;
        c.graphUrl = graph.baseUrl();
        c.graphTimeoutMs = 5000;
        return c;
    }

private Q_SLOTS:
    void init()
    {
        m_temp = std::make_unique<test::TempStore>();
        QString error;
        m_db = Database::open(m_temp->databasePath(), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_page.id = 0;
        m_page.pageId = kPageId;
        m_page.name = QStringLiteral("Acme Roofing");
        QVERIFY2(ConfigStore(m_db->sql()).savePage(m_page, &error), qPrintable(error));
    }

    void cleanup()
    {
        m_db.reset();
        m_temp.reset();
    }

    void keptInMetasOrderWithQuestions()
    {
        FetchedFormStore store(m_db->sql());
        QString error;
        QVERIFY(store.forms(m_page.id, &error).isEmpty());
        QVERIFY2(error.isEmpty(), "never fetched is not an error");

        const QList<GraphForm> listed = {
            form(kRoof, QStringLiteral("Roof check"),
                 {QStringLiteral("full_name"), QStringLiteral("phone_number")}),
            form(kSpring, QStringLiteral("Spring offer"), {QStringLiteral("email")},
                 QStringLiteral("ARCHIVED")),
            form(kGutter, QString(), {})}; // Meta may send a form without a name or questions
        const qint64 at = QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(store.replace(m_page.id, listed, at, &error), qPrintable(error));
        QCOMPARE(describe(store.forms(m_page.id, &error)), describe(listed));
        QVERIFY(error.isEmpty());
        QCOMPARE(
            count(
                QStringLiteral("SELECT COUNT(*) FROM fetched_forms WHERE fetched_at = %1").arg(at)),
            3);
    }

    void aLaterFetchReplacesTheSet()
    {
        FetchedFormStore store(m_db->sql());
        QString error;
        QVERIFY2(store.replace(
                     m_page.id,
                     {form(kSpring, QStringLiteral("Spring offer"), {QStringLiteral("email")}),
                      form(kRoof, QStringLiteral("Roof check"), {QStringLiteral("phone_number")})},
                     1000, &error),
                 qPrintable(error));
        // Meta no longer lists Spring; Roof was renamed and archived; Gutter is new.
        const QList<GraphForm> second = {
            form(kRoof, QStringLiteral("Roof check 2"),
                 {QStringLiteral("phone_number"), QStringLiteral("city")},
                 QStringLiteral("ARCHIVED")),
            form(kGutter, QStringLiteral("Gutters"), {QStringLiteral("full_name")})};
        QVERIFY2(store.replace(m_page.id, second, 2000, &error), qPrintable(error));
        QCOMPARE(describe(store.forms(m_page.id)), describe(second));
        // Meta listing nothing leaves nothing.
        QVERIFY2(store.replace(m_page.id, {}, 3000, &error), qPrintable(error));
        QVERIFY(store.forms(m_page.id, &error).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM fetched_forms")), 0);
    }

    void formMappingsAreNeverTouched()
    {
        ConfigStore config(m_db->sql());
        FormMapping mapped;
        mapped.pageConfigId = m_page.id;
        mapped.formId = kSpring;
        mapped.formName = QStringLiteral("Spring offer (ours)");
        mapped.questions = R"([{"key":"phone_number","label":"Phone","type":"PHONE"}])";
        mapped.rows = {{QStringLiteral("phone_number"), QStringLiteral("phone"), {}, {}, true}};
        QString error;
        QVERIFY2(config.saveForm(mapped, &error), qPrintable(error));
        const QStringList before = mappingDump();
        QCOMPARE(before.size(), 2);

        FetchedFormStore store(m_db->sql());
        QVERIFY2(store.replace(
                     m_page.id,
                     {form(kSpring, QStringLiteral("Spring offer"), {QStringLiteral("email")}),
                      form(kRoof, QStringLiteral("Roof check"), {QStringLiteral("full_name")})},
                     1000, &error),
                 qPrintable(error));
        QCOMPARE(mappingDump(), before);
        // A fetched form is not mapped for the pipeline.
        const auto roof = config.lookup(kPageId, kRoof, &error);
        QVERIFY2(roof, qPrintable(error));
        QVERIFY(!roof->second);
        // A fetch that no longer lists the mapped form does not unmap it.
        QVERIFY2(store.replace(m_page.id, {}, 2000, &error), qPrintable(error));
        QCOMPARE(mappingDump(), before);
        QVERIFY(config.lookup(kPageId, kSpring, &error)->second);
    }

    void removedWithTheirPage()
    {
        PageConfig other;
        other.pageId = QStringLiteral("104857600999999999");
        other.name = QStringLiteral("Other page");
        ConfigStore config(m_db->sql());
        QString error;
        QVERIFY2(config.savePage(other, &error), qPrintable(error));
        FetchedFormStore store(m_db->sql());
        const QList<GraphForm> ours = {form(kSpring, QStringLiteral("Spring"), {})};
        QVERIFY2(store.replace(m_page.id, ours, 1, &error), qPrintable(error));
        QVERIFY2(store.replace(other.id, {form(kRoof, QStringLiteral("Roof"), {})}, 1, &error),
                 qPrintable(error));

        QVERIFY2(config.removePage(other.pageId, &error), qPrintable(error));
        QCOMPARE(
            count(QStringLiteral("SELECT COUNT(*) FROM fetched_forms WHERE page_config_id = %1")
                      .arg(other.id)),
            0);
        QCOMPARE(describe(store.forms(m_page.id)), describe(ours));
        // SQLite hands the newest page's row id out again: a page added later must not inherit
        // the removed page's list.
        PageConfig later;
        later.pageId = QStringLiteral("104857600888888888");
        later.name = QStringLiteral("Later page");
        QVERIFY2(config.savePage(later, &error), qPrintable(error));
        QCOMPARE(later.id, other.id);
        QVERIFY(store.forms(later.id, &error).isEmpty());
        QVERIFY(error.isEmpty());
    }

    void refusedForAPageThatIsGone_data()
    {
        QTest::addColumn<bool>("withForms");
        QTest::newRow("Meta listed forms") << true;
        QTest::newRow("Meta listed none") << false;
    }

    void refusedForAPageThatIsGone()
    {
        QFETCH(bool, withForms);
        FetchedFormStore store(m_db->sql());
        QString error;
        QVERIFY(!store.replace(m_page.id + 100,
                               withForms
                                   ? QList<GraphForm>{form(kSpring, QStringLiteral("Spring"), {})}
                                   : QList<GraphForm>{},
                               1, &error));
        QVERIFY2(error.contains(QStringLiteral("page no longer exists")), qPrintable(error));
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM fetched_forms")), 0);
    }

    void survivesReopeningTheFile()
    {
        const QList<GraphForm> listed = {
            form(kSpring, QStringLiteral("Spring offer"),
                 {QStringLiteral("full_name"), QStringLiteral("email")}),
            form(kRoof, QStringLiteral("Roof check"), {QStringLiteral("phone_number")},
                 QStringLiteral("ARCHIVED"))};
        QString error;
        QVERIFY2(FetchedFormStore(m_db->sql()).replace(m_page.id, listed, 1, &error),
                 qPrintable(error));
        m_db.reset(); // the app quits

        auto reopened = Database::open(m_temp->databasePath(), &error);
        QVERIFY2(reopened, qPrintable(error));
        QCOMPARE(describe(FetchedFormStore(reopened->sql()).forms(m_page.id, &error)),
                 describe(listed));
        QVERIFY(error.isEmpty());
    }

    void questionsJsonReadsBack()
    {
        const GraphForm f =
            form(kSpring, {}, {QStringLiteral("full_name"), QStringLiteral("when?")});
        const QByteArray json = FetchedFormStore::questionsJson(f);
        QCOMPARE(json,
                 QByteArray(R"([{"key":"full_name","label":"FULL_NAME label","type":"CUSTOM"},)"
                            R"({"key":"when?","label":"WHEN? label","type":"CUSTOM"}])"));
        QCOMPARE(
            describe({GraphForm{
                kSpring, {}, QStringLiteral("ACTIVE"), FetchedFormStore::questionsFromJson(json)}}),
            describe({f}));
        QVERIFY(FetchedFormStore::questionsFromJson("{\"key\":1}").isEmpty());
        QVERIFY(FetchedFormStore::questionsFromJson("not json").isEmpty());
        const auto odd = FetchedFormStore::questionsFromJson(R"([{"key":7,"label":"L"},"x"])");
        QCOMPARE(odd.size(), 2);
        QCOMPARE(odd.at(0).key, QString());
        QCOMPARE(odd.at(0).label, QStringLiteral("L"));
    }

    // The admin's calls end to end, against a fake Graph API.
    void pageAdminKeepsWhatMetaListed()
    {
        test::FakeGraphServer graph(2);
        QVERIFY(graph.isListening());
        const PageAdminContext context = adminContext(graph);
        QString error;
        const auto saved = PageAdmin::savePage(context, m_page, kToken, &error);
        QVERIFY2(saved, qPrintable(error));
        QVERIFY(saved->fetchedForms.isEmpty());

        graph.setForms(
            kPageId,
            {test::graphFormJson(kSpring, QStringLiteral("Spring offer"),
                                 {QStringLiteral("full_name"), QStringLiteral("phone_number")}),
             test::graphFormJson(kRoof, QStringLiteral("Roof check"), {QStringLiteral("email")},
                                 QStringLiteral("ARCHIVED"))});
        const QList<GraphForm> first = PageAdmin::fetchForms(context, saved->page, {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(first.size(), 2);
        auto pages = PageAdmin::loadPages(context, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(pages.size(), 1);
        QCOMPARE(describe(pages.first().fetchedForms), describe(first));
        QVERIFY(pages.first().forms.isEmpty()); // nothing is mapped by a fetch
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM form_mappings")), 0);

        // Meta dropped a form: the next fetch's list replaces the kept one.
        graph.setForms(
            kPageId, {test::graphFormJson(kRoof, QStringLiteral("Roof check"),
                                          {QStringLiteral("email")}, QStringLiteral("ARCHIVED"))});
        const QList<GraphForm> second = PageAdmin::fetchForms(context, saved->page, {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(second.size(), 1);
        QCOMPARE(describe(PageAdmin::loadPages(context, &error).first().fetchedForms),
                 describe(second));

        // A failed fetch keeps what the last good one found.
        graph.failLead(kPageId, -1, 400, 190, 463);
        QVERIFY(PageAdmin::fetchForms(context, saved->page, {}, &error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("access token")), qPrintable(error));
        QCOMPARE(describe(PageAdmin::loadPages(context, &error).first().fetchedForms),
                 describe(second));
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM form_mappings")), 0);
    }
};

QTEST_GUILESS_MAIN(TestFetchedForms)
#include "tst_fetched_forms.moc"
