// Settings: defaults in one place, file < environment < command line, and every bad value an
// error that names the key and where it came from. Secrets never show.

#include "settings/settings.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace leadkeeper;

class TestSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString writeIni(const QByteArray &text)
    {
        const QString path = m_dir.filePath(QStringLiteral("settings%1.ini").arg(++m_files));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(text);
        return path;
    }

    static QProcessEnvironment env(const QList<QPair<QString, QString>> &vars = {})
    {
        QProcessEnvironment e; // empty: nothing from the machine running the test leaks in
        for (const auto &v : vars)
            e.insert(v.first, v.second);
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the default settings file is never a real one
        QVERIFY(m_dir.isValid());
        QVERIFY(!QFile::exists(Settings::defaultConfigFile()));
    }

    void defaults()
    {
        QString error;
        const auto s = Settings::load(QString(), env(), {}, &error);
        QVERIFY2(s, qPrintable(error));
        for (const SettingKey &k : Settings::keys())
            QCOMPARE(s->value(k.key), QString::fromLatin1(k.defaultText));
        QCOMPARE(s->listenAddress().toString(), QStringLiteral("127.0.0.1:8787"));
        QCOMPARE(s->databasePath(), Settings::defaultDatabasePath());
        QVERIFY(s->databasePath().endsWith(QStringLiteral("leadkeeper.db")));
        QCOMPARE(s->graphUrl(), QStringLiteral("https://graph.facebook.com"));
        QCOMPARE(s->defaultRegion(), QStringLiteral("US"));
        QVERIFY(s->appSecret().isEmpty());
        QVERIFY(s->verifyToken().isEmpty());
        QCOMPARE(s->listenerLimits().maxBodyBytes, 1048576);
        QCOMPARE(s->configFile(), Settings::defaultConfigFile());
        for (const QString &line : s->describe())
            QVERIFY2(line.endsWith(QStringLiteral("[default]")), qPrintable(line));

        const Settings d = Settings::defaults();
        for (const SettingKey &k : Settings::keys())
            QCOMPARE(d.value(k.key), s->value(k.key));
    }

    void everyKeyHasAnEnvironmentVariableAndHelp()
    {
        QSet<QString> vars;
        for (const SettingKey &k : Settings::keys()) {
            QVERIFY(QByteArray(k.envVar).startsWith("LEADKEEPER_"));
            QVERIFY(!QByteArray(k.help).isEmpty());
            vars.insert(QLatin1String(k.envVar));
        }
        QCOMPARE(vars.size(), Settings::keys().size());
    }

    void precedenceFileEnvironmentCommandLine()
    {
        const QString file = writeIni("[listener]\naddress=127.0.0.1:1111\nmax_connections=11\n"
                                      "[processing]\nconcurrency=3\n[graph]\nversion=v1.0\n");
        QString error;
        const auto s = Settings::load(file,
                                      env({{"LEADKEEPER_LISTEN", "127.0.0.1:2222"},
                                           {"LEADKEEPER_CONCURRENCY", "4"}}),
                                      {{QStringLiteral("listener/address"), QStringLiteral("[::1]:3333")}},
                                      &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->listenAddress().toString(), QStringLiteral("[::1]:3333")); // command line wins
        QCOMPARE(s->workerConcurrency(), 4);                                   // environment over file
        QCOMPARE(s->graphVersion(), QStringLiteral("v1.0"));                   // file over default
        QCOMPARE(s->listenerLimits().maxConnections, 11);
        QCOMPARE(s->graphUrl(), QStringLiteral("https://graph.facebook.com")); // default
        QCOMPARE(s->configFile(), file);

        const QStringList lines = s->describe();
        auto line = [&](const QString &key) {
            for (const QString &l : lines) {
                if (l.startsWith(key + QStringLiteral(" = ")))
                    return l;
            }
            return QString();
        };
        QVERIFY(line("listener/address").endsWith(QStringLiteral("[command line]")));
        QVERIFY(line("processing/concurrency").endsWith(QStringLiteral("[LEADKEEPER_CONCURRENCY]")));
        QVERIFY(line("graph/version").endsWith(QStringLiteral("[file %1]").arg(file)));
        QVERIFY(line("graph/url").endsWith(QStringLiteral("[default]")));
    }

    void configFileFromEnvironment()
    {
        const QString file = writeIni("[graph]\nversion=v9.9\n");
        QString error;
        const auto s = Settings::load(QString(), env({{"LEADKEEPER_CONFIG", file}}), {}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->graphVersion(), QStringLiteral("v9.9"));
        QCOMPARE(s->configFile(), file);

        // An explicit --config beats LEADKEEPER_CONFIG.
        const QString other = writeIni("[graph]\nversion=v1.1\n");
        const auto t = Settings::load(other, env({{"LEADKEEPER_CONFIG", file}}), {}, &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->graphVersion(), QStringLiteral("v1.1"));
    }

    void missingNamedFileIsAnError()
    {
        const QString missing = m_dir.filePath(QStringLiteral("nope.ini"));
        QString error;
        QVERIFY(!Settings::load(missing, env(), {}, &error));
        QVERIFY2(error.contains(missing) && error.contains(QStringLiteral("does not exist")),
                 qPrintable(error));
        error.clear();
        QVERIFY(!Settings::load(QString(), env({{"LEADKEEPER_CONFIG", missing}}), {}, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
    }

    void emptyConfigVariableCountsAsUnset()
    {
        QString error;
        const auto s = Settings::load(QString(), env({{"LEADKEEPER_CONFIG", ""}}), {}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->configFile(), Settings::defaultConfigFile());
    }

    void folderAsSettingsFileIsAnError()
    {
        QString error;
        QVERIFY(!Settings::load(m_dir.path(), env(), {}, &error));
        QVERIFY2(error.contains(m_dir.path()) && error.contains(QStringLiteral("cannot be read")),
                 qPrintable(error));
    }

    void unknownKeyInFileIsNamed()
    {
        const QString file = writeIni("[listener]\naddress=127.0.0.1:1\n[meta]\napp_secert=oops\n");
        QString error;
        QVERIFY(!Settings::load(file, env(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("\"meta/app_secert\"")), qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("oops")), qPrintable(error));

        const QString general = writeIni("listen=127.0.0.1:1\n");
        QVERIFY(!Settings::load(general, env(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("\"listen\"")), qPrintable(error));
    }

    void unknownOverrideIsAnError()
    {
        QString error;
        QVERIFY(!Settings::load(QString(), env(), {{QStringLiteral("store/databse"), QStringLiteral("x")}},
                                &error));
        QVERIFY2(error.contains(QStringLiteral("store/databse")), qPrintable(error));
    }

    void commaInAnUnquotedValueIsAnError()
    {
        // QSettings would read this as a list, and the secret would silently become empty.
        const QString file = writeIni("[meta]\napp_secret=abc,def\n");
        QString error;
        QVERIFY(!Settings::load(file, env(), {}, &error));
        QVERIFY2(error.contains(QStringLiteral("meta/app_secret")) && error.contains(QStringLiteral("quotes")),
                 qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("abc")), qPrintable(error));

        const QString quoted = writeIni("[meta]\napp_secret=\"abc,def\"\n");
        const auto s = Settings::load(quoted, env(), {}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->appSecret(), QByteArray("abc,def"));
    }

    void invalidValuesNameKeyAndSource_data()
    {
        QTest::addColumn<QString>("where"); // file, env or cli
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("envVar");
        QTest::addColumn<QString>("value");

        const QList<std::array<const char *, 3>> cases = {
            {"listener/address", "LEADKEEPER_LISTEN", "127.0.0.1:70000"},
            {"listener/address", "LEADKEEPER_LISTEN", "nonsense"},
            {"listener/address", "LEADKEEPER_LISTEN", "::1"},
            {"listener/address", "LEADKEEPER_LISTEN", "example.com:80"},
            {"listener/address", "LEADKEEPER_LISTEN", "127.0.0.1:+80"},
            {"processing/concurrency", "LEADKEEPER_CONCURRENCY", "0"},
            {"processing/concurrency", "LEADKEEPER_CONCURRENCY", "many"},
            {"processing/default_region", "LEADKEEPER_DEFAULT_REGION", "usa"},
            {"listener/max_body_bytes", "LEADKEEPER_MAX_BODY_BYTES", "-1"},
            {"listener/idle_timeout_ms", "LEADKEEPER_IDLE_TIMEOUT_MS", ""},
            {"graph/url", "LEADKEEPER_GRAPH_URL", "ftp://graph.facebook.com"},
        };
        for (const auto &c : cases) {
            for (const char *where : {"file", "env", "cli"}) {
                if (QByteArray(where) == "cli" && QByteArray(c[0]) != "listener/address")
                    continue; // the command line only sets --db and --listen
                QTest::addRow("%s %s=%s", where, c[0], c[2]) << where << c[0] << c[1] << c[2];
            }
        }
    }

    void invalidValuesNameKeyAndSource()
    {
        QFETCH(QString, where);
        QFETCH(QString, key);
        QFETCH(QString, envVar);
        QFETCH(QString, value);
        QString file;
        QProcessEnvironment e;
        QVariantHash overrides;
        QString expectedSource;
        if (where == QLatin1String("file")) {
            const qsizetype slash = key.indexOf(QLatin1Char('/'));
            file = writeIni(QStringLiteral("[%1]\n%2=\"%3\"\n")
                                .arg(key.left(slash), key.mid(slash + 1), value)
                                .toUtf8());
            expectedSource = file;
        } else if (where == QLatin1String("env")) {
            e.insert(envVar, value);
            expectedSource = envVar;
        } else {
            overrides.insert(key, value);
            expectedSource = QStringLiteral("command line");
        }
        QString error;
        QVERIFY(!Settings::load(file, e, overrides, &error));
        QVERIFY2(error.contains(key), qPrintable(error));
        QVERIFY2(error.contains(expectedSource), qPrintable(error));
        const QString shown = value.contains(QStringLiteral(".com")) ? value.section(QLatin1Char(':'), 0, 0) : value;
        QVERIFY2(error.contains(shown), qPrintable(error)); // the offending value is quoted back
    }

    void listenAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shown");
        QTest::newRow("ipv4") << "127.0.0.1:8787" << "127.0.0.1:8787";
        QTest::newRow("port 0") << "127.0.0.1:0" << "127.0.0.1:0";
        QTest::newRow("localhost") << "localhost:80" << "127.0.0.1:80";
        QTest::newRow("any") << "*:8080" << QHostAddress(QHostAddress::Any).toString() + ":8080";
        QTest::newRow("ipv6") << "[::1]:8787" << "[::1]:8787";
        QTest::newRow("spaces") << "  0.0.0.0:443 " << "0.0.0.0:443";
        QTest::newRow("top port") << "10.0.0.1:65535" << "10.0.0.1:65535";
    }

    void listenAddresses()
    {
        QFETCH(QString, text);
        QFETCH(QString, shown);
        QString error;
        const auto a = ListenAddress::parse(text, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->toString(), shown);
    }

    void badListenAddresses_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t : {"", "nonsense", "127.0.0.1", "127.0.0.1:", ":8787", "127.0.0.1:65536",
                              "127.0.0.1:-1", "127.0.0.1:8a", "::1", "::1:8787", "[::1]", "host:80",
                              "300.1.1.1:80"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void badListenAddresses()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!ListenAddress::parse(text, &error));
        QVERIFY(!error.isEmpty());
    }

    void secretsNeverAppearInDescribe()
    {
        const QString file = writeIni("[meta]\napp_secret=file-secret-4f1a\nverify_token=file-token-77b2\n");
        QString error;
        auto s = Settings::load(file, env({{"LEADKEEPER_APP_SECRET", "env-secret-9c3d"}}), {}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->appSecret(), QByteArray("env-secret-9c3d"));
        QCOMPARE(s->verifyToken(), QByteArray("file-token-77b2"));
        const QString described = s->describe().join(QLatin1Char('\n'));
        for (const char *secret : {"file-secret-4f1a", "file-token-77b2", "env-secret-9c3d", "secret-", "token-"})
            QVERIFY2(!described.contains(QLatin1String(secret)), qPrintable(described));
        QVERIFY(described.contains(QStringLiteral("meta/app_secret = (set)   [LEADKEEPER_APP_SECRET]")));
        QVERIFY(described.contains(QStringLiteral("meta/verify_token = (set)")));

        const auto none = Settings::load(QString(), env(), {}, &error);
        QVERIFY(none->describe().join(QLatin1Char('\n')).contains(QStringLiteral("meta/app_secret = (not set)")));
    }

    void setRevalidates()
    {
        Settings s = Settings::defaults();
        s.set("listener/address", QStringLiteral("127.0.0.1:0"));
        QCOMPARE(s.listenAddress().port, quint16(0));
        s.set("store/database", QStringLiteral("/tmp/x.db"));
        QCOMPARE(s.databasePath(), QStringLiteral("/tmp/x.db"));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
