// SecretStore: the owner-only file backend (mode 0600 from the first byte, a widened mode
// corrected, tokens round-trip, nothing secret in logs or error messages) and the keychain probe,
// which must fall back to the file within seconds when no Secret Service answers.

#include "config/secret_store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace leadkeeper;

namespace {

constexpr auto kToken = "EAABwzLixnjYBAKtokenSECRET0123456789";
constexpr auto kOtherToken = "EAABotherSECRETtoken9876543210";

int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

QStringList g_messages;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_messages << message;
    if (g_previous)
        g_previous(type, context, message);
}

SecretStore::Options fileOptions(const QString &dir)
{
    SecretStore::Options o;
    o.backend = SecretStore::Backend::File;
    o.directory = dir;
    return o;
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Before anything in this process touches D-Bus: a session bus that does not exist, no
        // display to autolaunch one. The keychain probe must then give up quickly.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/leadkeeper-test-bus");
        qunsetenv("DISPLAY");
        qunsetenv("LEADKEEPER_SECRET_STORE");
        QLoggingCategory::setFilterRules(QStringLiteral("leadkeeper.*=true"));
        g_previous = qInstallMessageHandler(capture);
    }

    void cleanupTestCase() { qInstallMessageHandler(g_previous); }

    void init() { g_messages.clear(); }

    void fileIsOwnerOnly()
    {
        QTemporaryDir temp;
        const QString dir = QDir(temp.path()).filePath(QStringLiteral("config/leadkeeper"));
        SecretStore store(fileOptions(dir));
        QVERIFY(!store.usesKeychain());
        QString error;
        QVERIFY2(store.setToken(QStringLiteral("page:1"), QLatin1String(kToken), &error),
                 qPrintable(error));
        QCOMPARE(store.filePath(), QDir(dir).filePath(QStringLiteral("secrets.json")));
        QCOMPARE(modeOf(store.filePath()), 0600);
        QCOMPARE(modeOf(dir), 0700);
        QVERIFY2(!QFile::exists(store.filePath() + QStringLiteral(".lock")), "lock released");
    }

    void tokensRoundTrip()
    {
        QTemporaryDir temp;
        QString error;
        {
            SecretStore store(fileOptions(temp.path()));
            QVERIFY(store.setToken(QStringLiteral("page:1"), QLatin1String(kToken), &error));
            QVERIFY(store.setToken(QStringLiteral("page:2"), QLatin1String(kOtherToken), &error));
            QVERIFY(store.setToken(QStringLiteral("page:2"), QStringLiteral("replaced"), &error));
        }
        SecretStore again(fileOptions(temp.path()));
        QCOMPARE(again.token(QStringLiteral("page:1"), &error), QString::fromLatin1(kToken));
        QCOMPARE(again.token(QStringLiteral("page:2"), &error), QStringLiteral("replaced"));
        QVERIFY(again.hasToken(QStringLiteral("page:1"), &error));

        const auto missing = again.token(QStringLiteral("page:3"), &error);
        QVERIFY(!missing);
        QVERIFY2(error.isEmpty(), "missing is not a failure");

        QVERIFY(again.removeToken(QStringLiteral("page:1"), &error));
        QVERIFY(!again.hasToken(QStringLiteral("page:1"), &error));
        QVERIFY(again.removeToken(QStringLiteral("page:1"), &error)); // already gone: fine
        QCOMPARE(again.token(QStringLiteral("page:2"), &error), QStringLiteral("replaced"));
        QCOMPARE(modeOf(again.filePath()), 0600);
    }

    void emptyTokensAreRefused()
    {
        QTemporaryDir temp;
        SecretStore store(fileOptions(temp.path()));
        QString error;
        QVERIFY(!store.setToken(QStringLiteral("page:1"), QString(), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(store.filePath()));
    }

    void aWidenedModeIsCorrected()
    {
        QTemporaryDir temp;
        SecretStore store(fileOptions(temp.path()));
        QString error;
        QVERIFY(store.setToken(QStringLiteral("page:1"), QLatin1String(kToken), &error));
        QVERIFY(::chmod(QFile::encodeName(store.filePath()).constData(), 0644) == 0);
        QCOMPARE(modeOf(store.filePath()), 0644);

        // Reading is enough to correct it.
        QCOMPARE(store.token(QStringLiteral("page:1"), &error), QString::fromLatin1(kToken));
        QCOMPARE(modeOf(store.filePath()), 0600);
        QVERIFY2(g_messages.join(QLatin1Char('\n')).contains(QLatin1String("0600")),
                 "the correction is reported");

        // And a write over a widened file leaves it owner-only too.
        QVERIFY(::chmod(QFile::encodeName(store.filePath()).constData(), 0666) == 0);
        QVERIFY(store.setToken(QStringLiteral("page:2"), QLatin1String(kOtherToken), &error));
        QCOMPARE(modeOf(store.filePath()), 0600);
    }

    void aFileWrittenByHandIsCorrectedBeforeUse()
    {
        QTemporaryDir temp;
        const QString path = QDir(temp.path()).filePath(QStringLiteral("secrets.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(R"({"format":"leadkeeper-secrets","version":1,"tokens":{"page:9":")")
                   + kToken + "\"}}");
        file.close();
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        SecretStore store(fileOptions(temp.path()));
        QString error;
        QCOMPARE(store.token(QStringLiteral("page:9"), &error), QString::fromLatin1(kToken));
        QCOMPARE(modeOf(path), 0600);
    }

    void secretsNeverReachLogsOrErrors()
    {
        QTemporaryDir temp;
        SecretStore store(fileOptions(temp.path()));
        QString error;
        QStringList errors;
        QVERIFY(store.setToken(QStringLiteral("page:1"), QLatin1String(kToken), &error));
        QVERIFY(::chmod(QFile::encodeName(store.filePath()).constData(), 0604) == 0);
        store.token(QStringLiteral("page:1"), &error);
        errors << error;

        // A damaged file: its content (with a token in it) must not be quoted anywhere.
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("{\"format\":\"leadkeeper-secrets\",\"tokens\":{\"page:1\":\"") + kToken);
        file.close();
        QVERIFY(!store.token(QStringLiteral("page:1"), &error));
        QVERIFY(!error.isEmpty());
        errors << error;
        QVERIFY(!store.setToken(QStringLiteral("page:2"), QLatin1String(kOtherToken), &error));
        errors << error;

        const QString everything = g_messages.join(QLatin1Char('\n')) + errors.join(QLatin1Char('\n'));
        QVERIFY2(!g_messages.isEmpty(), "the mode correction was logged");
        QVERIFY2(!everything.contains(QLatin1String("EAAB")), qPrintable(everything));
        QVERIFY(!everything.contains(QLatin1String(kOtherToken)));
        QVERIFY2(errors.join(QString()).contains(QLatin1String("damaged")), qPrintable(errors.join(QString())));
    }

    void theEnvironmentForcesTheFile()
    {
        QTemporaryDir temp;
        qputenv("LEADKEEPER_SECRET_STORE", "file");
        SecretStore::Options o;
        o.directory = temp.path();
        QElapsedTimer timer;
        timer.start();
        SecretStore store(o);
        qunsetenv("LEADKEEPER_SECRET_STORE");
        QVERIFY(!store.usesKeychain());
        QVERIFY2(timer.elapsed() < 500, "no probe at all");
        QVERIFY(store.backendName().startsWith(QLatin1String("file ")));
        QVERIFY(store.backendName().endsWith(QLatin1String("(owner-only)")));
    }

    void theBackendNameShortensTheHomeFolder()
    {
        SecretStore::Options o = fileOptions(QDir::home().filePath(QStringLiteral(".config/x")));
        SecretStore store(o);
        QCOMPARE(store.backendName(), QStringLiteral("file ~/.config/x/secrets.json (owner-only)"));
    }

    void theProbeFallsBackQuicklyWithoutASessionBus()
    {
        QTemporaryDir temp;
        SecretStore::Options o;
        o.directory = temp.path();
        QElapsedTimer timer;
        timer.start();
        SecretStore store(o);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!store.usesKeychain());
        QString error;
        QVERIFY(store.setToken(QStringLiteral("page:1"), QLatin1String(kToken), &error));
        QCOMPARE(modeOf(store.filePath()), 0600);
        for (const QString &m : std::as_const(g_messages))
            QVERIFY(!m.contains(QLatin1String(kToken)));
    }

    // A real session bus (our own dbus-daemon) where no Secret Service runs, or where one is
    // activatable but never answers (its start hangs): the probe, run by the leadkeeper binary,
    // must give up within its timeout and use the file.
    void theProbeFallsBackQuicklyOnABusWithoutSecretService_data()
    {
        QTest::addColumn<bool>("hangingService");
        QTest::newRow("no secret service") << false;
        QTest::newRow("secret service never answers") << true;
    }

    void theProbeFallsBackQuicklyOnABusWithoutSecretService()
    {
        QFETCH(bool, hangingService);
        if (!SecretStore::keychainCompiledIn())
            QSKIP("built without QtKeychain");
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        const QString binary = qEnvironmentVariable("LEADKEEPER_BINARY");
        if (daemon.isEmpty() || binary.isEmpty())
            QSKIP("needs dbus-daemon and LEADKEEPER_BINARY");

        QTemporaryDir temp;
        const QDir dir(temp.path());
        QString services;
        if (hangingService) {
            QVERIFY(dir.mkpath(QStringLiteral("services")));
            QFile service(dir.filePath(QStringLiteral("services/org.freedesktop.secrets.service")));
            QVERIFY(service.open(QIODevice::WriteOnly));
            service.write("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sleep 8\n");
            service.close();
            services = QStringLiteral("<servicedir>%1</servicedir>").arg(dir.filePath(QStringLiteral("services")));
        }
        const QString socket = dir.filePath(QStringLiteral("bus"));
        QFile config(dir.filePath(QStringLiteral("bus.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral(
                         "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                         "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                         "<busconfig><type>session</type><listen>unix:path=%1</listen>"
                         "<auth>EXTERNAL</auth>%2<policy context=\"default\"><allow send_destination=\"*\" "
                         "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy>"
                         "<limit name=\"service_start_timeout\">20000</limit></busconfig>\n")
                         .arg(socket, services)
                         .toUtf8());
        config.close();

        QProcess bus;
        bus.start(daemon, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                           QStringLiteral("--nopidfile")});
        QVERIFY(bus.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 5000);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=") + socket);
        env.insert(QStringLiteral("HOME"), temp.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("LEADKEEPER_SECRET_STORE"));
        env.remove(QStringLiteral("LEADKEEPER_CONFIG"));
        env.remove(QStringLiteral("DISPLAY"));
        QProcess child;
        child.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        QFile empty(dir.filePath(QStringLiteral("empty.json")));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.write(R"({"format": "leadkeeper-config", "version": 1, "pages": []})");
        empty.close();
        child.start(binary, {QStringLiteral("config"), QStringLiteral("import"), empty.fileName(),
                             QStringLiteral("--db"), dir.filePath(QStringLiteral("leadkeeper.db"))});
        const bool finished = child.waitForFinished(15000);
        const qint64 elapsed = timer.elapsed();
        if (!finished)
            child.kill();
        bus.terminate();
        bus.waitForFinished(5000);
        QVERIFY2(finished, "the probe hung");
        const QString out = QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError());
        QCOMPARE(child.exitCode(), 0);
        QVERIFY2(out.contains(QLatin1String("secret store: file ")), qPrintable(out));
        QVERIFY2(elapsed < 8000, qPrintable(QString::number(elapsed)));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
