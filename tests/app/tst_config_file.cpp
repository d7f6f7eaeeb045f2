// ConfigFile: export leaves tokens out unless asked, a round trip restores the same configuration,
// ids keep every digit, an import replaces the pages it names and leaves the others alone, and
// every kind of invalid file is refused with the entry named and nothing changed.

#include "config/config_file.h"
#include "config/config_store.h"
#include "config/secret_store.h"
#include "store/database.h"
#include "temp_store.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace leadkeeper;

namespace {

constexpr auto kToken = "EAABacmeSECRETtoken0123456789";
constexpr auto kPageId = "104857600123456789"; // more digits than a double holds exactly

QByteArray document(const QByteArray &pages)
{
    return R"({"format": "leadkeeper-config", "version": 1, "pages": [)" + pages + "]}";
}

// A valid page that comes first in every invalid file: it must not be written either.
const QByteArray kValidPage = R"({"page_id": "777", "name": "Valid Page", "access_token": "EAABvalidTOKEN",
  "forms": [{"form_id": "778", "mapping": [{"question": "email", "field": "email"}]}]})";

QByteArray withForm(const QByteArray &form)
{
    return document(kValidPage + R"(, {"page_id": "900", "name": "Second", "forms": [)" + form + "]}");
}

} // namespace

class TestConfigFile : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TempStore> m_temp;
    std::optional<Database> m_db;
    std::unique_ptr<ConfigStore> m_store;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ConfigFile> m_file;

    QString secretsDir() const { return QDir(m_temp->dir()).filePath(QStringLiteral("secrets")); }

    void openStore(const QString &dbName)
    {
        m_file.reset();
        m_store.reset();
        m_db.reset();
        QString error;
        m_db = Database::open(QDir(m_temp->dir()).filePath(dbName), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_store = std::make_unique<ConfigStore>(m_db->sql());
        m_file = std::make_unique<ConfigFile>(*m_store, *m_secrets);
    }

    /// Every configuration row plus the secrets file: "nothing changed" means this is equal.
    QStringList dump()
    {
        QStringList rows;
        QSqlQuery q(m_db->sql());
        for (const char *sql :
             {"SELECT * FROM page_configs ORDER BY id", "SELECT * FROM form_mappings ORDER BY id",
              "SELECT * FROM mapping_rows ORDER BY id"}) {
            q.exec(QLatin1String(sql));
            while (q.next()) {
                QStringList cells;
                for (int i = 0; i < q.record().count(); ++i)
                    cells << q.value(i).toString();
                rows << cells.join(QLatin1Char('|'));
            }
        }
        QFile secrets(m_secrets->filePath());
        if (secrets.open(QIODevice::ReadOnly))
            rows << QString::fromUtf8(secrets.readAll());
        return rows;
    }

    void seed()
    {
        PageConfig page;
        page.pageId = QLatin1String(kPageId);
        page.name = QStringLiteral("Acme Roofing");
        page.defaultRegion = QStringLiteral("DE");
        QString error;
        QVERIFY2(m_store->savePage(page, &error), qPrintable(error));
        QVERIFY(m_secrets->setToken(page.tokenRef, QLatin1String(kToken), &error));
        FormMapping form;
        form.pageConfigId = page.id;
        form.formId = QStringLiteral("1234567890123456789");
        form.formName = QStringLiteral("Roof quote");
        form.questions = R"([{"key":"full_name","label":"Full name","type":"FULL_NAME","id":"x"},
                             {"key":"phone_number","label":"Phone","type":"PHONE"}])";
        form.rows = {{QStringLiteral("full_name"), QStringLiteral("customer_name"), QString(),
                      QStringLiteral("trim|capitalize"), true},
                     {QStringLiteral("phone_number"), QStringLiteral("phone"), QString(),
                      QStringLiteral("phone"), true},
                     {QStringLiteral("city"), QStringLiteral("city"), QStringLiteral("Berlin"), QString(),
                      false}};
        QVERIFY2(m_store->saveForm(form, &error), qPrintable(error));
        PageConfig second;
        second.pageId = QStringLiteral("2000");
        second.name = QStringLiteral("Bravo Windows");
        second.enabled = false;
        QVERIFY(m_store->savePage(second, &error));
    }

    nlohmann::json exported(bool withSecrets)
    {
        QString error;
        const auto bytes = m_file->exportJson(withSecrets, nullptr, &error);
        if (!bytes) {
            qWarning() << error;
            return {};
        }
        return nlohmann::json::parse(bytes->cbegin(), bytes->cend());
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<test::TempStore>();
        SecretStore::Options options;
        options.backend = SecretStore::Backend::File;
        options.directory = secretsDir();
        m_secrets = std::make_unique<SecretStore>(options);
        openStore(QStringLiteral("leadkeeper.db"));
    }

    void cleanup()
    {
        m_file.reset();
        m_store.reset();
        m_db.reset();
        m_secrets.reset();
        m_temp.reset();
    }

    void exportLeavesTokensOut()
    {
        seed();
        QString error;
        ConfigFile::ExportSummary summary;
        const auto bytes = m_file->exportJson(false, &summary, &error);
        QVERIFY2(bytes, qPrintable(error));
        QVERIFY(!bytes->contains(kToken));
        QVERIFY(!bytes->contains("access_token"));
        QCOMPARE(summary.pages, 2);
        QCOMPARE(summary.forms, 1);
        QCOMPARE(summary.tokens, 0);

        const auto doc = nlohmann::json::parse(bytes->cbegin(), bytes->cend());
        QVERIFY(doc["format"] == "leadkeeper-config");
        QVERIFY(doc["version"] == 1);
        QVERIFY(doc["pages"].size() == std::size_t(2));
        const auto &acme = doc["pages"][0];
        QVERIFY(acme["page_id"] == kPageId);
        QVERIFY(acme["name"] == "Acme Roofing");
        QVERIFY(acme["enabled"] == true);
        QVERIFY(acme["default_region"] == "DE");
        const auto &form = acme["forms"][0];
        QVERIFY(form["form_id"] == "1234567890123456789");
        QVERIFY(form["questions"][0] == nlohmann::json({{"key", "full_name"}, {"label", "Full name"}, {"type", "FULL_NAME"}}));
        QVERIFY(form["mapping"][0] == nlohmann::json({{"question", "full_name"},
                                                     {"field", "customer_name"},
                                                     {"default", ""},
                                                     {"transform", "trim|capitalize"},
                                                     {"mandatory", true}}));
        QVERIFY(form["mapping"][2]["default"] == "Berlin");
        QVERIFY(doc["pages"][1]["enabled"] == false);
        QVERIFY(doc["pages"][1]["forms"] == nlohmann::json::array());
    }

    void exportWithSecretsIncludesTokensOwnerOnly()
    {
        seed();
        const QString path = QDir(m_temp->dir()).filePath(QStringLiteral("with-secrets.json"));
        QString error;
        ConfigFile::ExportSummary summary;
        QVERIFY2(m_file->exportToFile(path, true, &summary, &error), qPrintable(error));
        QCOMPARE(summary.tokens, 1);
        QCOMPARE(summary.pagesWithoutToken, QStringList{QStringLiteral("2000")});
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto doc = nlohmann::json::parse(file.readAll().toStdString());
        QVERIFY(doc["pages"][0]["access_token"] == kToken);
        QVERIFY(!doc["pages"][1].contains("access_token"));
    }

    void aRoundTripRestoresTheSameConfiguration()
    {
        seed();
        QString error;
        const auto first = m_file->exportJson(true, nullptr, &error);
        QVERIFY(first);

        // A fresh database and a fresh secret store.
        QDir(secretsDir()).removeRecursively();
        openStore(QStringLiteral("restored.db"));
        QStringList errors;
        const auto summary = m_file->importJson(*first, &errors);
        QVERIFY2(summary, qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(summary->pagesAdded, 2);
        QCOMPARE(summary->pagesUpdated, 0);
        QCOMPARE(summary->forms, 1);
        QCOMPARE(summary->mappingRows, 3);
        QCOMPARE(summary->tokensStored, 1);
        QVERIFY(summary->tokenErrors.isEmpty());

        const auto second = m_file->exportJson(true, nullptr, &error);
        QVERIFY(second);
        QCOMPARE(*second, *first);
        QCOMPARE(m_secrets->token(QStringLiteral("page:") + QLatin1String(kPageId), &error),
                 QString::fromLatin1(kToken));

        // Importing the same file again changes nothing but the update times.
        const auto again = m_file->importJson(*first, &errors);
        QVERIFY(again);
        QCOMPARE(again->pagesUpdated, 2);
        QCOMPARE(*m_file->exportJson(true, nullptr, &error), *first);
    }

    void idsAsJsonIntegersKeepEveryDigit()
    {
        QStringList errors;
        const auto summary = m_file->importJson(
            document(R"({"page_id": 104857600123456789, "name": "Big", "forms": [
                         {"form_id": 18446744073709551615, "mapping": []}]})"),
            &errors);
        QVERIFY2(summary, qPrintable(errors.join(QLatin1Char('\n'))));
        const auto page = m_store->page(QStringLiteral("104857600123456789"));
        QVERIFY(page);
        QVERIFY(m_store->form(page->id, QStringLiteral("18446744073709551615")));
    }

    void anImportReplacesThePagesItNamesOnly()
    {
        seed();
        QString error;
        const auto acme = m_store->page(QLatin1String(kPageId));
        FormMapping extra;
        extra.pageConfigId = acme->id;
        extra.formId = QStringLiteral("555");
        QVERIFY(m_store->saveForm(extra, &error));
        QCOMPARE(m_store->forms(acme->id).size(), 2);

        QStringList errors;
        const auto summary = m_file->importJson(
            document(R"({"page_id": "104857600123456789", "name": "Acme new",
                         "default_region": "AT", "forms": [{"form_id": "1234567890123456789",
                         "form_name": "Roof quote v2", "enabled": false,
                         "mapping": [{"question": "email", "field": "email", "mandatory": true}]}]})"),
            &errors);
        QVERIFY2(summary, qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(summary->pagesUpdated, 1);
        QCOMPARE(summary->tokensStored, 0);

        const auto updated = m_store->page(QLatin1String(kPageId));
        QCOMPARE(updated->id, acme->id);
        QCOMPARE(updated->name, QStringLiteral("Acme new"));
        QCOMPARE(updated->defaultRegion, QStringLiteral("AT"));
        const QList<FormMapping> forms = m_store->forms(acme->id);
        QCOMPARE(forms.size(), 1); // forms are replaced as given
        QCOMPARE(forms.at(0).formName, QStringLiteral("Roof quote v2"));
        QCOMPARE(forms.at(0).enabled, false);
        QCOMPARE(forms.at(0).rows.size(), 1);
        // The page not in the file, and the token of the updated page, are untouched.
        QCOMPARE(m_store->page(QStringLiteral("2000"))->name, QStringLiteral("Bravo Windows"));
        QCOMPARE(m_secrets->token(updated->tokenRef, &error), QString::fromLatin1(kToken));
    }

    void invalidFilesChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QStringList>("mentions");

        QTest::newRow("bad JSON") << QByteArray(R"({"format": "leadkeeper-config", "pages": [)")
                                  << QStringList{"not valid JSON", "line 1"};
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringList{"not a Leadkeeper configuration"};
        QTest::newRow("wrong format marker")
            << QByteArray(R"({"format": "other-tool", "version": 1, "pages": []})")
            << QStringList{"not a Leadkeeper configuration"};
        QTest::newRow("newer version")
            << QByteArray(R"({"format": "leadkeeper-config", "version": 2, "pages": []})")
            << QStringList{"version 2"};
        QTest::newRow("no pages")
            << QByteArray(R"({"format": "leadkeeper-config", "version": 1})")
            << QStringList{"\"pages\" is missing"};
        QTest::newRow("unknown top-level key")
            << QByteArray(R"({"format": "leadkeeper-config", "version": 1, "pages": [], "extra": 1})")
            << QStringList{"unknown key \"extra\""};
        QTest::newRow("page id not digits")
            << document(kValidPage + R"(, {"page_id": "12a", "name": "X"})")
            << QStringList{"pages[1]", "12a"};
        QTest::newRow("page id as a float")
            << document(kValidPage + R"(, {"page_id": 1.04857600123456789e17, "name": "X"})")
            << QStringList{"pages[1]", "not a Meta id"};
        QTest::newRow("negative page id")
            << document(kValidPage + R"(, {"page_id": -5, "name": "X"})") << QStringList{"pages[1]"};
        QTest::newRow("page id missing")
            << document(kValidPage + R"(, {"name": "X"})") << QStringList{"pages[1]: \"page_id\" is missing"};
        QTest::newRow("empty name")
            << document(kValidPage + R"(, {"page_id": "5", "name": " "})")
            << QStringList{"pages[1]: \"name\" must not be empty"};
        QTest::newRow("bad region")
            << document(kValidPage + R"(, {"page_id": "5", "name": "X", "default_region": "de"})")
            << QStringList{"pages[1]", "\"de\""};
        QTest::newRow("enabled not a boolean")
            << document(kValidPage + R"(, {"page_id": "5", "name": "X", "enabled": "yes"})")
            << QStringList{"pages[1]: \"enabled\" must be true or false"};
        QTest::newRow("empty access token")
            << document(kValidPage + R"(, {"page_id": "5", "name": "X", "access_token": ""})")
            << QStringList{"pages[1]: \"access_token\" must not be empty"};
        QTest::newRow("unknown page key")
            << document(kValidPage + R"(, {"page_id": "5", "name": "X", "colour": "red"})")
            << QStringList{"pages[1]: unknown key \"colour\""};
        QTest::newRow("duplicate page ids")
            << document(kValidPage + ", " + kValidPage)
            << QStringList{"pages[1]: page id 777 is listed twice (also pages[0])"};
        QTest::newRow("form id not digits")
            << withForm(R"({"form_id": "form-1"})") << QStringList{"pages[1].forms[0]", "form-1"};
        QTest::newRow("duplicate form ids")
            << withForm(R"({"form_id": "5"}, {"form_id": 5})")
            << QStringList{"pages[1].forms[1]: form id 5 is listed twice"};
        QTest::newRow("unknown form key")
            << withForm(R"({"form_id": "5", "mappings": []})")
            << QStringList{"pages[1].forms[0]: unknown key \"mappings\""};
        QTest::newRow("question without key")
            << withForm(R"({"form_id": "5", "questions": [{"label": "Name"}]})")
            << QStringList{"pages[1].forms[0].questions[0]: \"key\" is missing"};
        QTest::newRow("unknown mapping key")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "a", "field": "city", "required": true}]})")
            << QStringList{"pages[1].forms[0].mapping[0]: unknown key \"required\""};
        QTest::newRow("mapping without field")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "a"}]})")
            << QStringList{"pages[1].forms[0].mapping[0]: \"field\" is missing"};
        QTest::newRow("unknown Lead field")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "email", "field": "email"},
                           {"question": "full_name", "field": "customer_name"},
                           {"question": "tel", "field": "telefon"}]})")
            << QStringList{"pages[1].forms[0].mapping[2]: ", "\"telefon\""};
        QTest::newRow("unknown transform")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "tel", "field": "phone", "transform": "trim|shout"}]})")
            << QStringList{"pages[1].forms[0].mapping[0]: ", "shout"};
        QTest::newRow("field mapped twice")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "a", "field": "city"}, {"question": "b", "field": "city"}]})")
            << QStringList{"pages[1].forms[0].mapping[1]: "};
        QTest::newRow("mandatory not a boolean")
            << withForm(R"({"form_id": "5", "mapping": [{"question": "a", "field": "city", "mandatory": 1}]})")
            << QStringList{"pages[1].forms[0].mapping[0]: \"mandatory\" must be true or false"};
    }

    void invalidFilesChangeNothing()
    {
        QFETCH(QByteArray, file);
        QFETCH(QStringList, mentions);
        seed();
        const QStringList before = dump();
        QStringList errors;
        QVERIFY(!m_file->importJson(file, &errors));
        QVERIFY(!errors.isEmpty());
        const QString text = errors.join(QLatin1Char('\n'));
        for (const QString &m : std::as_const(mentions))
            QVERIFY2(text.contains(m), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(m, text)));
        QCOMPARE(dump(), before);
        QVERIFY(!m_store->page(QStringLiteral("777")));
        QString error;
        QVERIFY(!m_secrets->hasToken(QStringLiteral("page:777"), &error));
    }

    void everyProblemIsListedAtOnce()
    {
        QStringList errors;
        QVERIFY(!m_file->importJson(
            document(R"({"page_id": "x", "name": ""}, {"page_id": "5", "name": "Y", "forms": [{"form_id": "6",
                       "mapping": [{"question": "t", "field": "telefon"}]}]})"),
            &errors));
        QVERIFY2(errors.size() >= 3, qPrintable(errors.join(QLatin1Char('\n'))));
    }

    void errorsNeverQuoteAToken()
    {
        QStringList errors;
        QVERIFY(!m_file->importJson(
            document(R"({"page_id": "5", "name": "X", "access_token": "EAABleakMe" oops})"), &errors));
        QVERIFY(!errors.join(QString()).contains(QLatin1String("EAAB")));
        QVERIFY(!m_file->importJson(document(R"({"page_id": "5", "name": "X", "access_token": 12345678})"),
                                    &errors));
        QVERIFY(!errors.join(QString()).contains(QLatin1String("12345678")));
        QVERIFY(!m_file->importJson(document(R"({"page_id": "5", "name": "X", "EAABkey": "EAABvalue"})"),
                                    &errors));
        QVERIFY(!errors.join(QString()).contains(QLatin1String("EAABvalue")));
    }
};

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_config_file.moc"
