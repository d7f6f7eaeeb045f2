// The command line as a user runs it: the real executable in a subprocess, a temporary database,
// a clean environment. Covers --help, exit codes, `logs` in its three formats and its filters, and
// `serve` (health check, SIGTERM/SIGINT, a port already taken).

#include "http_test_client.h"
#include "leadkeeper_process.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/rejected_delivery_log.h"
#include "temp_store.h"
#include "webhook_bodies.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace leadkeeper;
using namespace leadkeeper::test;

namespace {

IncomingLead lead(const QString &leadgenId, LeadSource source = LeadSource::Webhook)
{
    IncomingLead l;
    l.leadgenId = leadgenId;
    l.pageId = QStringLiteral("1029384756473829");
    l.formId = QStringLiteral("5647382910564738");
    l.adId = QStringLiteral("6120000000000000001");
    l.adgroupId = QStringLiteral("6120000000000000002");
    l.createdAtMs = 1763800000000;
    l.source = source;
    l.rawPayload = "{}";
    return l;
}

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("<missing>");
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TempStore> m_temp;
    QProcessEnvironment m_env;

    QString db() const { return m_temp->databasePath(); }

    CliResult run(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return runLeadkeeper(arguments, env);
    }
    CliResult run(const QStringList &arguments) { return run(arguments, m_env); }
    CliResult logs(const QStringList &arguments)
    {
        return run(QStringList{QStringLiteral("logs"), QStringLiteral("--db"), db()} + arguments);
    }

    /// Stores leads with the engine itself, then closes the connection.
    bool populate(const QList<QPair<IncomingLead, qint64>> &leads, const QString &sqlAfter = {})
    {
        QString error;
        auto database = Database::open(db(), &error);
        if (!database) {
            qWarning() << error;
            return false;
        }
        {
            LeadLogStore store(database->sql());
            for (const auto &[l, at] : leads) {
                if (!store.storeDelivery({l}, at, &error)) {
                    qWarning() << error;
                    return false;
                }
            }
        }
        if (!sqlAfter.isEmpty()) {
            QSqlQuery q(database->sql());
            if (!q.exec(sqlAfter))
                return false;
        }
        return true;
    }

    /// Each stdout line parsed as JSON; a line that is not a JSON object fails the test.
    static QList<nlohmann::json> jsonLines(const QString &out)
    {
        QList<nlohmann::json> rows;
        const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &line : lines) {
            const auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
            rows << (j.is_object() ? j : nlohmann::json());
        }
        return rows;
    }

    static QStringList ids(const QString &jsonOut)
    {
        QStringList result;
        for (const nlohmann::json &j : jsonLines(jsonOut))
            result << (j.contains("leadgen_id") ? QString::fromStdString(j["leadgen_id"].get<std::string>())
                                                : QStringLiteral("<bad line>"));
        return result;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(leadkeeperBinary()), "set LEADKEEPER_BINARY"); }

    void init()
    {
        m_temp = std::make_unique<TempStore>();
        QVERIFY(m_temp->isValid());
        m_env = cleanEnvironment(m_temp->dir());
    }

    void cleanup() { m_temp.reset(); }

    void help_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("leadkeeper --help")
            << QStringList{"--help"} << QStringList{"serve", "logs", "--db", "--config", "--listen"};
        QTest::newRow("leadkeeper help") << QStringList{"help"} << QStringList{"serve", "logs"};
        QTest::newRow("logs --help")
            << QStringList{"logs", "--help"}
            << QStringList{"Usage: leadkeeper logs", "--status", "--source", "--page", "--limit", "--format", "--db"};
        QTest::newRow("serve --help")
            << QStringList{"serve", "--help"}
            << QStringList{"Usage: leadkeeper serve", "--listen", "--db", "--config", "SIGTERM"};
        QTest::newRow("rejected -h") << QStringList{"rejected", "-h"} << QStringList{"--limit", "--format"};
        QTest::newRow("settings --help") << QStringList{"settings", "--help"} << QStringList{"--config"};
    }

    void help()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, mentions);
        const CliResult r = run(arguments);
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 0);
        for (const QString &m : mentions)
            QVERIFY2(r.out.contains(m), qPrintable(m + QStringLiteral(" not in:\n") + r.out));
        QVERIFY2(!r.out.contains(leadkeeperBinary()), qPrintable(r.out)); // no build path in usage
        QVERIFY(!QFile::exists(db()));
    }

    void version()
    {
        const CliResult r = run({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("leadkeeper ")));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command \"frobnicate\"";
        QTest::newRow("unknown option") << QStringList{"logs", "--colour"} << "colour";
        QTest::newRow("stray argument") << QStringList{"logs", "extra"} << "unexpected argument \"extra\"";
        QTest::newRow("bad status") << QStringList{"logs", "--status", "done"} << "--status must be one of";
        QTest::newRow("bad source") << QStringList{"logs", "--source", "email"} << "--source must be one of";
        QTest::newRow("bad format") << QStringList{"logs", "--format", "xml"} << "--format must be";
        QTest::newRow("bad limit") << QStringList{"logs", "--limit", "0"} << "--limit";
        QTest::newRow("bad limit text") << QStringList{"logs", "--limit", "ten"} << "--limit";
        QTest::newRow("rejected bad limit") << QStringList{"rejected", "--limit", "-3"} << "--limit";
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult r = run(arguments + QStringList{QStringLiteral("--db"), db()});
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.startsWith(QStringLiteral("leadkeeper: ")), qPrintable(r.err));
        QCOMPARE(r.out, QString());
        QVERIFY(!QFile::exists(db())); // a usage error touches nothing
    }

    void optionWithoutValue()
    {
        const CliResult r = run({QStringLiteral("logs"), QStringLiteral("--db"), db(), QStringLiteral("--status")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("status")), qPrintable(r.err));
        QVERIFY(!QFile::exists(db()));
    }

    void logsJson()
    {
        IncomingLead organic = lead(QStringLiteral("9007199254740993001"), LeadSource::Import);
        organic.adId.clear();
        organic.adgroupId.clear();
        organic.createdAtMs.reset();
        QVERIFY(populate({{lead(QStringLiteral("9007199254740993000")), 1763800005000},
                          {organic, 1763800006123},
                          {lead(QStringLiteral("9007199254740993000")), 1763800007000}}));
        const CliResult r = logs({QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        const QList<nlohmann::json> rows = jsonLines(r.out);
        QCOMPARE(rows.size(), 2);
        for (const nlohmann::json &row : rows) {
            for (const char *key : {"leadgen_id", "page_id", "form_id", "ad_id", "created_time",
                                    "received_time", "source", "platform", "organic", "status",
                                    "error_message", "deliveries"})
                QVERIFY2(row.contains(key), key);
            for (const char *id : {"leadgen_id", "page_id", "form_id", "ad_id"})
                QVERIFY2(row[id].is_string(), id); // ids are exact strings, never numbers
        }
        const nlohmann::json &newest = rows.at(0);
        QCOMPARE(newest["leadgen_id"].get<std::string>(), std::string("9007199254740993001"));
        QCOMPARE(newest["ad_id"].get<std::string>(), std::string());
        QVERIFY(newest["created_time"].is_null());
        QCOMPARE(newest["received_time"].get<std::string>(), std::string("2025-11-22T08:26:46.123Z"));
        QCOMPARE(newest["source"].get<std::string>(), std::string("import"));
        QVERIFY(newest["organic"] == nlohmann::json(true));
        QVERIFY(newest["deliveries"] == nlohmann::json(1));

        const nlohmann::json &oldest = rows.at(1);
        QCOMPARE(oldest["leadgen_id"].get<std::string>(), std::string("9007199254740993000"));
        QCOMPARE(oldest["page_id"].get<std::string>(), std::string("1029384756473829"));
        QCOMPARE(oldest["form_id"].get<std::string>(), std::string("5647382910564738"));
        QCOMPARE(oldest["ad_id"].get<std::string>(), std::string("6120000000000000001"));
        QCOMPARE(oldest["created_time"].get<std::string>(), std::string("2025-11-22T08:26:40.000Z"));
        QCOMPARE(oldest["source"].get<std::string>(), std::string("webhook"));
        QCOMPARE(oldest["platform"].get<std::string>(), std::string("unknown"));
        QVERIFY(oldest["organic"] == nlohmann::json(false));
        QCOMPARE(oldest["status"].get<std::string>(), std::string("pending"));
        QCOMPARE(oldest["error_message"].get<std::string>(), std::string());
        QVERIFY(oldest["deliveries"] == nlohmann::json(2));
    }

    void logsCsv()
    {
        IncomingLead hostile = lead(QStringLiteral("=HYPERLINK(\"http://x\",\"y\")"));
        hostile.pageId = QStringLiteral("+15550100");
        hostile.formId = QStringLiteral("-1+1");
        hostile.adId = QStringLiteral("@SUM(A1:A9)");
        QVERIFY(populate({{lead(QStringLiteral("111")), 1000}, {hostile, 2000}},
                         QStringLiteral("UPDATE lead_log SET status = 'error', error_message = 'Bad "
                                        "phone, \"12\" is too short' WHERE leadgen_id = '111'")));
        const CliResult r = logs({QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split(QStringLiteral("\r\n"));
        QCOMPARE(lines.size(), 4); // header, two rows, and the empty rest after the last CRLF
        QCOMPARE(lines.at(3), QString());
        const QStringList header = lines.at(0).split(QLatin1Char(','));
        for (const char *column : {"leadgen_id", "page_id", "form_id", "ad_id", "created_time",
                                   "received_time", "source", "platform", "organic", "status",
                                   "error_message", "deliveries"})
            QVERIFY2(header.contains(QLatin1String(column)), column);
        QCOMPARE(header.at(0), QStringLiteral("leadgen_id"));

        // Newest first: the hostile row; every cell that starts like a formula gets a leading '.
        const QString hostileRow = lines.at(1);
        QVERIFY2(hostileRow.startsWith(QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+15550100,'-1+1,'@SUM(A1:A9),")),
                 qPrintable(hostileRow));
        const QString errorRow = lines.at(2);
        QVERIFY2(errorRow.startsWith(QStringLiteral("111,1029384756473829,")), qPrintable(errorRow));
        QVERIFY2(errorRow.contains(QStringLiteral(",error,\"Bad phone, \"\"12\"\" is too short\",1")),
                 qPrintable(errorRow));
    }

    void logsTable()
    {
        QVERIFY(populate({{lead(QStringLiteral("2222222222")), 1000}, {lead(QStringLiteral("3333")), 2000}}));
        const CliResult r = logs({});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith(QStringLiteral("leadgen_id  ")));
        QVERIFY(lines.at(0).contains(QStringLiteral("status")));
        QVERIFY(lines.at(1).startsWith(QStringLiteral("3333        ")));
        QVERIFY(lines.at(2).startsWith(QStringLiteral("2222222222  ")));
        QVERIFY(lines.at(1).contains(QStringLiteral("pending")));
        // Columns line up: "status" sits at the same offset in every line.
        const qsizetype statusAt = lines.at(0).indexOf(QStringLiteral("status"));
        QCOMPARE(lines.at(1).indexOf(QStringLiteral("pending")), statusAt);
        QCOMPARE(lines.at(2).indexOf(QStringLiteral("pending")), statusAt);
    }

    void logsOfAnEmptyDatabase()
    {
        QVERIFY(populate({}));
        CliResult r = logs({});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("(no entries)")), qPrintable(r.out));
        r = logs({QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QString());
        r = logs({QStringLiteral("--format"), QStringLiteral("csv")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("leadgen_id,")));
        QCOMPARE(r.out.count(QStringLiteral("\r\n")), 1);
    }

    void logsFilters()
    {
        IncomingLead otherPage = lead(QStringLiteral("40"), LeadSource::Polling);
        otherPage.pageId = QStringLiteral("555");
        QVERIFY(populate({{lead(QStringLiteral("10")), 1000},
                          {lead(QStringLiteral("20"), LeadSource::Import), 2000},
                          {lead(QStringLiteral("30")), 3000},
                          {otherPage, 4000},
                          {lead(QStringLiteral("50"), LeadSource::Import), 5000}},
                         QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id IN ('20', '30')")));
        const QStringList json = {QStringLiteral("--format"), QStringLiteral("json")};
        auto idsFor = [&](const QStringList &filter) {
            const CliResult r = logs(json + filter);
            return r.exitCode == 0 ? ids(r.out) : QStringList{r.err};
        };
        QCOMPARE(idsFor({}), QStringList({"50", "40", "30", "20", "10"}));
        QCOMPARE(idsFor({"--status", "error"}), QStringList({"30", "20"}));
        QCOMPARE(idsFor({"--status", "Error"}), QStringList({"30", "20"}));
        QCOMPARE(idsFor({"--status", "loss"}), QStringList());
        QCOMPARE(idsFor({"--source", "import"}), QStringList({"50", "20"}));
        QCOMPARE(idsFor({"--page", "555"}), QStringList({"40"}));
        QCOMPARE(idsFor({"--limit", "2"}), QStringList({"50", "40"}));
        QCOMPARE(idsFor({"--status", "pending", "--source", "webhook"}), QStringList({"10"}));
        QCOMPARE(idsFor({"--status", "error", "--source", "import", "--limit", "1"}), QStringList({"20"}));

        // Options may also stand before the command.
        const CliResult r = run({QStringLiteral("--db"), db(), QStringLiteral("logs"), QStringLiteral("--format"),
                                 QStringLiteral("json"), QStringLiteral("--limit"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ids(r.out), QStringList({"50"}));
    }

    void logsDatabaseFromEnvironmentAndSettingsFile()
    {
        QVERIFY(populate({{lead(QStringLiteral("77")), 1000}}));
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("LEADKEEPER_DB"), db());
        CliResult r = run({QStringLiteral("logs"), QStringLiteral("--format"), QStringLiteral("json")}, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ids(r.out), QStringList({"77"}));

        const QString ini = m_temp->dir() + QStringLiteral("/settings.ini");
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[store]\ndatabase=\"" + db().toUtf8() + "\"\n");
        f.close();
        r = run({QStringLiteral("logs"), QStringLiteral("--config"), ini, QStringLiteral("--format"),
                 QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ids(r.out), QStringList({"77"}));
    }

    void logsOfAMissingDatabaseCreatesNothing()
    {
        const QString missing = m_temp->dir() + QStringLiteral("/typo/leadkeeper.db");
        const CliResult r = run({QStringLiteral("logs"), QStringLiteral("--db"), missing});
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("does not exist")), qPrintable(r.err));
        QVERIFY(!QFile::exists(missing));
    }

    void logsOfANewerDatabaseIsRefused()
    {
        {
            const QString name = QStringLiteral("newer");
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            raw.setDatabaseName(db());
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                          "applied_at INTEGER NOT NULL)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_migrations VALUES (1, 0), (999, 0)")));
            q = QSqlQuery();
            raw.close();
            raw = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
        }
        const QByteArray before = fileHash(db());
        for (const char *command : {"logs", "rejected", "serve"}) {
            const CliResult r = run({QLatin1String(command), QStringLiteral("--db"), db(),
                                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
            QVERIFY(r.finished);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QStringLiteral("newer Leadkeeper")), qPrintable(r.err));
            QVERIFY2(r.err.contains(QStringLiteral("999")), qPrintable(r.err));
            QCOMPARE(fileHash(db()), before);
            QVERIFY(!QFile::exists(db() + QStringLiteral("-wal")));
        }
    }

    void rejectedListsRefusals()
    {
        QVERIFY(populate({}));
        {
            QString error;
            auto database = Database::open(db(), &error);
            QVERIFY2(database, qPrintable(error));
            RejectedDeliveryLog log(database->sql(), 100);
            for (int i = 1; i <= 3; ++i) {
                RejectedDelivery d;
                d.receivedAtMs = 1763800000000 + i;
                d.remoteAddress = QStringLiteral("203.0.113.9");
                d.method = QStringLiteral("POST");
                d.path = QStringLiteral("/webhooks/meta");
                d.httpStatus = 401;
                d.reason = QStringLiteral("=bad signature %1").arg(i);
                QVERIFY(log.record(d, "{}", &error));
            }
        }
        CliResult r = run({QStringLiteral("rejected"), QStringLiteral("--db"), db(), QStringLiteral("--format"),
                           QStringLiteral("json"), QStringLiteral("--limit"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        const QList<nlohmann::json> rows = jsonLines(r.out);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).value("reason", std::string()), std::string("=bad signature 3"));
        QVERIFY(rows.at(0).value("http_status", 0) == 401);
        r = run({QStringLiteral("rejected"), QStringLiteral("--db"), db(), QStringLiteral("--format"),
                 QStringLiteral("csv")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral(",'=bad signature 1,")), qPrintable(r.out));
    }

    void settingsCommandHidesSecrets()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("LEADKEEPER_APP_SECRET"), QStringLiteral("s3cr3t-app-value"));
        env.insert(QStringLiteral("LEADKEEPER_VERIFY_TOKEN"), QStringLiteral("s3cr3t-token-value"));
        const CliResult r = run({QStringLiteral("settings"), QStringLiteral("--db"), db()}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains(QStringLiteral("s3cr3t")));
        QVERIFY(!r.err.contains(QStringLiteral("s3cr3t")));
        QVERIFY2(r.out.contains(QStringLiteral("meta/app_secret = (set)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("store/database = ") + db()), qPrintable(r.out));
        QVERIFY(!QFile::exists(db()));
    }

    void badSettingIsAnError()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("LEADKEEPER_LISTEN"), QStringLiteral("nonsense"));
        for (const char *command : {"settings", "serve", "logs"}) {
            const CliResult r = run({QLatin1String(command), QStringLiteral("--db"), db()}, env);
            QVERIFY(r.finished);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QStringLiteral("listener/address")) && r.err.contains(QStringLiteral("LEADKEEPER_LISTEN")),
                     qPrintable(r.err));
        }
        const CliResult r = run({QStringLiteral("logs"), QStringLiteral("--config"),
                                 m_temp->dir() + QStringLiteral("/missing.ini")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("missing.ini")), qPrintable(r.err));
    }

    void serveAnswersAndStopsOnSignal_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void serveAnswersAndStopsOnSignal()
    {
        QFETCH(int, signalNumber);
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("LEADKEEPER_APP_SECRET"), QLatin1String(TempStore::kAppSecret));
        ServeProcess serve;
        QVERIFY2(serve.start({QStringLiteral("--db"), db(), QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:0")},
                             env),
                 qPrintable(serve.stderrText()));
        QCOMPARE(serve.host(), QStringLiteral("127.0.0.1"));

        HttpTestClient client(serve.host(), serve.port());
        QVERIFY(client.connectToServer(30000));
        const HttpResponse health = client.request("GET", "/healthz", {}, {}, 30000);
        QCOMPARE(health.status, 200);
        const auto body = nlohmann::json::parse(health.body.toStdString(), nullptr, false);
        QCOMPARE(body.value("status", std::string()), std::string("ok"));
        const HttpResponse stored = client.postWebhook(singleLeadBody(QStringLiteral("8800000000000001")),
                                                       TempStore::kAppSecret, 30000);
        QCOMPARE(stored.status, 200);

        // The keep-alive connection is still open when the signal arrives.
        QVERIFY(serve.sendSignal(signalNumber));
        const std::optional<int> code = serve.waitForExit();
        QVERIFY2(code, qPrintable(serve.stderrText()));
        QCOMPARE(*code, 0);
        QVERIFY(client.waitForClose(30000));
        QVERIFY2(serve.stderrText().contains(QStringLiteral("stored 1 new lead(s): 8800000000000001")),
                 qPrintable(serve.stderrText()));

        const CliResult r = logs({QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(ids(r.out), QStringList({"8800000000000001"}));
    }

    void secondServeOnTheSamePortFails()
    {
        ServeProcess first;
        QVERIFY2(first.start({QStringLiteral("--db"), db(), QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:0")},
                             m_env),
                 qPrintable(first.stderrText()));
        const QString taken = QStringLiteral("127.0.0.1:%1").arg(first.port());
        const CliResult second = run({QStringLiteral("serve"), QStringLiteral("--db"),
                                      m_temp->dir() + QStringLiteral("/other.db"),
                                      QStringLiteral("--listen"), taken});
        QVERIFY(second.finished);
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(QStringLiteral("cannot listen on ") + taken), qPrintable(second.err));

        // The first one is unaffected.
        QCOMPARE(httpRequest(first.port(), "GET", "/healthz").status, 200);
        QVERIFY(first.sendSignal(SIGTERM));
        QCOMPARE(first.waitForExit(), std::optional<int>(0));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
