// SecretStore: the owner-only file backend (mode 0600 from the first byte, a widened mode
// corrected, tokens round-trip, nothing secret in logs or error messages) and the keychain probe,
// which must fall back to the file within seconds when no Secret Service answers.

#include "config/secret_store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QScopeGuard>
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
        QTemporaryDir temp;
        const QDir dir(temp.path());
        QString services;
        if (hangingService) {
            QVERIFY(dir.mkpath(QStringLiteral("services")));
            QFile service(dir.filePath(QStringLiteral("services/org.freedesktop.secrets.service")));
            QVERIFY(service.open(QIODevice::WriteOnly));
            service.write("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sleep 8\n");
            service.close();
            services = dir.filePath(QStringLiteral("services"));
        }
        QProcess bus;
        const QString address = startBus(bus, temp, services);
        if (address.isEmpty())
            QSKIP("needs dbus-daemon and LEADKEEPER_BINARY");

        QElapsedTimer timer;
        timer.start();
        const auto [exitCode, output] = runLeadkeeper(temp, address, {QStringLiteral("config"), QStringLiteral("import"), emptyConfig(temp)});
        const qint64 elapsed = timer.elapsed();
        bus.terminate();
        bus.waitForFinished(5000);
        QCOMPARE(exitCode, 0);
        QVERIFY2(output.contains(QLatin1String("secret store: file ")), qPrintable(output));
        QVERIFY2(elapsed < 8000, qPrintable(QString::number(elapsed)));
    }

    // Where a Secret Service answers (gnome-keyring on our own bus), tokens go there and never to
    // the file; a token left in the file from an earlier run is still found.
    void aRealSecretServiceIsUsed()
    {
        if (!SecretStore::keychainCompiledIn())
            QSKIP("built without QtKeychain");
        const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (keyring.isEmpty())
            QSKIP("needs gnome-keyring-daemon");
        QTemporaryDir temp;
        const QDir dir(temp.path());
        QProcess bus;
        const QString address = startBus(bus, temp, QString());
        if (address.isEmpty())
            QSKIP("needs dbus-daemon and LEADKEEPER_BINARY");
        QProcess daemon;
        daemon.setProcessEnvironment(childEnvironment(temp, address));
        daemon.start(keyring, {QStringLiteral("--unlock"), QStringLiteral("--components=secrets"),
                               QStringLiteral("--foreground")});
        QVERIFY(daemon.waitForStarted());
        daemon.write("test-keyring-password");
        daemon.closeWriteChannel();
        const auto stop = qScopeGuard([&] {
            daemon.terminate();
            daemon.waitForFinished(5000);
            bus.terminate();
            bus.waitForFinished(5000);
        });
        QTest::qWait(1000); // the daemon claims org.freedesktop.secrets

        // A token stored by an earlier run without keychain, in the file.
        const QString secretsDir = dir.filePath(QStringLiteral("config/Leadkeeper/leadkeeper"));
        {
            SecretStore old(fileOptions(secretsDir));
            QString error;
            QVERIFY(old.setToken(QStringLiteral("page:6"), QLatin1String(kOtherToken), &error));
        }
        QFile config(dir.filePath(QStringLiteral("pages.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        // (No raw string here: moc 6.4 loses track of a raw string ending in a quote.)
        config.write(QByteArray("{\"format\": \"leadkeeper-config\", \"version\": 1, \"pages\": ["
                                "{\"page_id\": \"5\", \"name\": \"Five\", \"access_token\": \"")
                     + kToken + "\"}, {\"page_id\": \"6\", \"name\": \"Six\"}]}");
        config.close();

        auto [exitCode, output] = runLeadkeeper(temp, address, {QStringLiteral("config"), QStringLiteral("import"), config.fileName()});
        QVERIFY2(exitCode == 0, qPrintable(output));
        QVERIFY2(output.contains(QLatin1String("secret store: system keychain")), qPrintable(output));
        QVERIFY2(!readAll(dir.filePath(QStringLiteral("config/Leadkeeper/leadkeeper/secrets.json"))).contains(kToken),
                 "the token went to the keychain, not the file");

        std::tie(exitCode, output) = runLeadkeeper(temp, address, {QStringLiteral("config"), QStringLiteral("export"), QStringLiteral("-"), QStringLiteral("--with-secrets")});
        QCOMPARE(exitCode, 0);
        QVERIFY2(output.contains(QLatin1String(kToken)), "read back from the keychain");
        QVERIFY2(output.contains(QLatin1String(kOtherToken)), "an older token in the file is still found");
    }

private:
    static QString emptyConfig(const QTemporaryDir &temp)
    {
        QFile empty(QDir(temp.path()).filePath(QStringLiteral("empty.json")));
        if (!empty.open(QIODevice::WriteOnly))
            return {};
        empty.write(R"({"format": "leadkeeper-config", "version": 1, "pages": []})");
        return empty.fileName();
    }

    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// Starts a private session bus (with `services` as its only activation folder, if any);
    /// returns its address, or "" when this machine cannot run the test.
    static QString startBus(QProcess &bus, const QTemporaryDir &temp, const QString &services)
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty() || qEnvironmentVariableIsEmpty("LEADKEEPER_BINARY"))
            return {};
        const QDir dir(temp.path());
        const QString socket = dir.filePath(QStringLiteral("bus"));
        QFile config(dir.filePath(QStringLiteral("bus.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return {};
        config.write(QStringLiteral(
                         "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                         "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                         "<busconfig><type>session</type><listen>unix:path=%1</listen>"
                         "<auth>EXTERNAL</auth>%2<policy context=\"default\"><allow send_destination=\"*\" "
                         "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy>"
                         "<limit name=\"service_start_timeout\">20000</limit></busconfig>\n")
                         .arg(socket, services.isEmpty() ? QString()
                                                         : QStringLiteral("<servicedir>%1</servicedir>").arg(services))
                         .toUtf8());
        config.close();
        bus.start(daemon, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                           QStringLiteral("--nopidfile")});
        if (!bus.waitForStarted())
            return {};
        QElapsedTimer waited;
        waited.start();
        while (!QFile::exists(socket) && waited.elapsed() < 5000)
            QTest::qWait(20);
        return QFile::exists(socket) ? QStringLiteral("unix:path=") + socket : QString();
    }

    static QProcessEnvironment childEnvironment(const QTemporaryDir &temp, const QString &busAddress)
    {
        const QDir dir(temp.path());
        dir.mkpath(QStringLiteral("runtime"));
        QFile::setPermissions(dir.filePath(QStringLiteral("runtime")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
        env.insert(QStringLiteral("HOME"), temp.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.filePath(QStringLiteral("runtime")));
        env.remove(QStringLiteral("LEADKEEPER_SECRET_STORE"));
        env.remove(QStringLiteral("LEADKEEPER_CONFIG"));
        env.remove(QStringLiteral("DISPLAY"));
        return env;
    }

    /// Runs the leadkeeper binary on the private bus; exit code (-1: hung) and stdout + stderr.
    static std::pair<int, QString> runLeadkeeper(const QTemporaryDir &temp, const QString &busAddress,
                                                 QStringList arguments)
    {
        arguments << QStringLiteral("--db") << QDir(temp.path()).filePath(QStringLiteral("leadkeeper.db"));
        QProcess child;
        child.setProcessEnvironment(childEnvironment(temp, busAddress));
        child.start(qEnvironmentVariable("LEADKEEPER_BINARY"), arguments);
        if (!child.waitForFinished(15000)) {
            child.kill();
            child.waitForFinished();
            return {-1, QStringLiteral("the leadkeeper binary hung")};
        }
        return {child.exitStatus() == QProcess::NormalExit ? child.exitCode() : -1,
                QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError())};
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
