// `leadkeeper config export/import/show`, run as a user would: the real binary, a temporary home,
// the file secret store. Checks output, exit codes, that tokens never reach the terminal and that
// a broken file is refused with the entry named and nothing changed.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace {

constexpr auto kToken = "EAABcliSECRETtoken0123456789";

const QByteArray kConfig = R"({
  "format": "leadkeeper-config",
  "version": 1,
  "pages": [
    {
      "page_id": "104857600123456789",
      "name": "Acme Roofing",
      "default_region": "DE",
      "access_token": "EAABcliSECRETtoken0123456789",
      "forms": [
        {
          "form_id": "1234567890123456",
          "form_name": "Roof quote",
          "questions": [{"key": "full_name", "label": "Full name", "type": "FULL_NAME"}],
          "mapping": [
            {"question": "full_name", "field": "customer_name", "transform": "trim|capitalize", "mandatory": true},
            {"question": "phone_number", "field": "phone", "mandatory": true}
          ]
        }
      ]
    },
    {"page_id": "2000", "name": "Bravo Windows", "enabled": false}
  ]
})";

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestConfigCli : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_home;

    QString path(const QString &name) const { return QDir(m_home->path()).filePath(name); }
    QString database() const { return path(QStringLiteral("leadkeeper.db")); }
    QString secretsFile() const
    {
        return path(QStringLiteral("config/Leadkeeper/leadkeeper/secrets.json"));
    }

    Run run(QStringList arguments, bool withDb = true)
    {
        if (withDb)
            arguments << QStringLiteral("--db") << database();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LEADKEEPER_SECRET_STORE"), QStringLiteral("file"));
        env.insert(QStringLiteral("HOME"), m_home->path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
        env.remove(QStringLiteral("LEADKEEPER_CONFIG"));
        env.remove(QStringLiteral("LEADKEEPER_DB"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("LEADKEEPER_BINARY"), arguments);
        Run r;
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            r.err = QStringLiteral("timed out");
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QString write(const QString &name, const QByteArray &content)
    {
        QFile f(path(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return f.fileName();
    }

    QByteArray read(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static int modeOf(const QString &file)
    {
        struct stat st = {};
        if (::stat(QFile::encodeName(file).constData(), &st) != 0)
            return -1;
        return int(st.st_mode & 0777);
    }

    void importSample()
    {
        const Run r = run({QStringLiteral("config"), QStringLiteral("import"),
                           write(QStringLiteral("in.json"), kConfig)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    }

private slots:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        QVERIFY(!qEnvironmentVariableIsEmpty("LEADKEEPER_BINARY"));
    }

    void importStoresPagesAndTokens()
    {
        const Run r = run({QStringLiteral("config"), QStringLiteral("import"),
                           write(QStringLiteral("in.json"), kConfig)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QLatin1String("secret store: file ~/config/Leadkeeper/leadkeeper/"
                                              "secrets.json (owner-only)")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("pages added 2")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("access tokens stored 1")));
        QVERIFY(!(r.out + r.err).contains(QLatin1String(kToken)));
        QCOMPARE(modeOf(secretsFile()), 0600);
        QVERIFY(read(secretsFile()).contains(kToken));
    }

    void showPrintsPagesFormsAndMappingWithoutTokens()
    {
        importSample();
        const Run r = run({QStringLiteral("config"), QStringLiteral("show")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains(QLatin1String("secret store: file ")));
        for (const char *expected : {"104857600123456789", "Acme Roofing", "Bravo Windows",
                                     "Roof quote", "customer_name", "trim|capitalize", "phone_number"})
            QVERIFY2(r.out.contains(QLatin1String(expected)), expected);
        const QStringList lines = r.out.split(QLatin1Char('\n'));
        const auto lineOf = [&](const char *text) {
            for (const QString &l : lines)
                if (l.contains(QLatin1String(text)))
                    return l;
            return QString();
        };
        QVERIFY2(lineOf("Acme Roofing").contains(QLatin1String(" set ")), qPrintable(lineOf("Acme Roofing")));
        QVERIFY2(lineOf("Bravo Windows").contains(QLatin1String("missing")), qPrintable(lineOf("Bravo Windows")));
        QVERIFY(!(r.out + r.err).contains(QLatin1String(kToken)));
    }

    void exportLeavesTokensOutUnlessAsked()
    {
        importSample();
        const QString plain = path(QStringLiteral("plain.json"));
        Run r = run({QStringLiteral("config"), QStringLiteral("export"), plain});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains(QLatin1String("secret store: file ")));
        QVERIFY(r.out.contains(QLatin1String("--with-secrets")));
        const QByteArray plainJson = read(plain);
        QVERIFY(!plainJson.contains(kToken));
        const auto doc = nlohmann::json::parse(plainJson.toStdString());
        QCOMPARE(doc["pages"].size(), std::size_t(2));

        const QString secret = path(QStringLiteral("secret.json"));
        r = run({QStringLiteral("config"), QStringLiteral("export"), secret,
                 QStringLiteral("--with-secrets")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(read(secret).contains(kToken));
        QCOMPARE(modeOf(secret), 0600);
        QVERIFY(!(r.out + r.err).contains(QLatin1String(kToken)));
        QVERIFY2(r.out.contains(QLatin1String("no access token is stored for page 2000")), qPrintable(r.out));

        // To stdout: only JSON there, the remarks on stderr.
        r = run({QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("-")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.toUtf8(), plainJson);
        QVERIFY(r.err.contains(QLatin1String("secret store: file ")));
    }

    void anInvalidImportNamesTheEntryAndChangesNothing()
    {
        importSample();
        const Run before = run({QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("-"),
                                QStringLiteral("--with-secrets")});
        QCOMPARE(before.exitCode, 0);

        QByteArray broken = kConfig;
        broken.replace("\"Acme Roofing\"", "\"Acme Roofing Renamed\"");
        broken.replace("\"field\": \"phone\"", "\"field\": \"telefon\"");
        const Run r = run({QStringLiteral("config"), QStringLiteral("import"),
                           write(QStringLiteral("broken.json"), broken)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("pages[0].forms[0].mapping[1]: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("\"telefon\"")), qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("nothing was changed")));
        QVERIFY(!(r.out + r.err).contains(QLatin1String(kToken)));

        const Run after = run({QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("-"),
                               QStringLiteral("--with-secrets")});
        QCOMPARE(after.out, before.out);
    }

    void failuresAndUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no action") << QStringList{"config"} << 2 << "needs an action";
        QTest::newRow("unknown action") << QStringList{"config", "frobnicate"} << 2 << "frobnicate";
        QTest::newRow("export without file") << QStringList{"config", "export"} << 2 << "needs a FILE";
        QTest::newRow("import with two files") << QStringList{"config", "import", "a", "b"} << 2 << "\"b\"";
        QTest::newRow("unknown option") << QStringList{"config", "show", "--colour"} << 2 << "colour";
        QTest::newRow("missing import file") << QStringList{"config", "import", "/nonexistent/x.json"} << 1
                                             << "/nonexistent/x.json";
        QTest::newRow("export help") << QStringList{"config", "export", "--help"} << 0
                                     << "Usage: leadkeeper config export [options] FILE";
        QTest::newRow("config help") << QStringList{"config", "--help"} << 0 << "import FILE";
        QTest::newRow("listed in the overview") << QStringList{"help"} << 0 << "config";
    }

    void failuresAndUsage()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2((r.out + r.err).contains(mentions), qPrintable(r.out + r.err));
    }

    void exportOfAMissingDatabaseFailsWithoutCreatingIt()
    {
        const Run r = run({QStringLiteral("config"), QStringLiteral("export"), path(QStringLiteral("x.json"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFile::exists(database()));
        QVERIFY(!QFile::exists(path(QStringLiteral("x.json"))));
    }
};

QTEST_GUILESS_MAIN(TestConfigCli)
#include "tst_config_cli.moc"
