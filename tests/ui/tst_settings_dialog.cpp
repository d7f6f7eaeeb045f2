// The settings dialog on the offscreen platform, writing a temporary settings file.

#include "settings/settings.h"
#include "settings_dialog.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QTest>

using namespace leadkeeper;
using leadkeeper::ui::SettingsDialog;

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void showsCurrentValues();
    void refusesInvalidValue_data();
    void refusesInvalidValue();
    void acceptsAndWritesValidValues();
    void portInUseIsRefusedAndNothingChanges();
    void secretsAreKeptWhenLeftEmpty();
    void notificationsCanBeTurnedOff();

private:
    Settings load();
    void setText(SettingsDialog &dialog, const QString &key, const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
};

void TestSettingsDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_file = QDir(m_dir->path()).filePath(QStringLiteral("leadkeeper.ini"));
    QFile f(m_file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[meta]\napp_secret=old-secret\n");
}

Settings TestSettingsDialog::load()
{
    QString error;
    auto s = Settings::load(m_file, QProcessEnvironment(), {}, &error);
    if (!s)
        qFatal("%s", qPrintable(error));
    return *s;
}

void TestSettingsDialog::setText(SettingsDialog &dialog, const QString &key, const QString &text)
{
    QLineEdit *edit = dialog.field(key);
    QVERIFY2(edit, qPrintable(key));
    edit->selectAll();
    QTest::keyClicks(edit, text);
    if (text.isEmpty())
        edit->clear();
}

void TestSettingsDialog::showsCurrentValues()
{
    SettingsDialog dialog(load(), true);
    QCOMPARE(dialog.field(QStringLiteral("listener/address"))->text(), QStringLiteral("127.0.0.1"));
    QCOMPARE(dialog.field(QStringLiteral("listener/port"))->text(), QStringLiteral("8787"));
    QCOMPARE(dialog.field(QStringLiteral("processing/default_region"))->text(), QStringLiteral("US"));
    QVERIFY(dialog.field(QStringLiteral("meta/app_secret"))->text().isEmpty()); // never shown
    QCOMPARE(dialog.field(QStringLiteral("meta/app_secret"))->echoMode(), QLineEdit::Password);
    QVERIFY(dialog.okButton()->isEnabled());
}

void TestSettingsDialog::refusesInvalidValue_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("port 70000") << "listener/port" << "70000" << "no valid port";
    QTest::newRow("port text") << "listener/port" << "http" << "no valid port";
    QTest::newRow("port 0") << "listener/port" << "0" << "random port";
    QTest::newRow("host") << "listener/address" << "my computer" << "not an IP address";
    QTest::newRow("region usa") << "processing/default_region" << "usa" << "two-letter region code";
    QTest::newRow("concurrency 0") << "processing/concurrency" << "0" << "from 1 to 256";
    QTest::newRow("graph url") << "graph/url" << "graph.facebook.com" << "http:// or https://";
}

void TestSettingsDialog::refusesInvalidValue()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, reason);
    SettingsDialog dialog(load(), true);
    dialog.show();
    setText(dialog, key, value);
    QVERIFY(!dialog.okButton()->isEnabled());
    QLabel *error = dialog.errorLabel(key);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(reason), qPrintable(error->text()));
    QVERIFY2(!error->text().startsWith(QStringLiteral("Setting ")), qPrintable(error->text()));
    // Only the field at fault complains.
    QVERIFY(!dialog.errorLabel(QStringLiteral("graph/version"))->isVisible());
}

void TestSettingsDialog::acceptsAndWritesValidValues()
{
    SettingsDialog dialog(load(), true);
    dialog.show();
    setText(dialog, QStringLiteral("listener/port"), QStringLiteral("70000"));
    QVERIFY(!dialog.okButton()->isEnabled());
    // A port nothing listens on (the dialog tries the new address before it takes it).
    quint16 freePort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        freePort = probe.serverPort();
    }
    setText(dialog, QStringLiteral("listener/port"), QString::number(freePort));
    setText(dialog, QStringLiteral("processing/default_region"), QStringLiteral("DE"));
    setText(dialog, QStringLiteral("meta/verify_token"), QStringLiteral("my verify, token"));
    QVERIFY(dialog.okButton()->isEnabled());
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const auto changed = applied.first().at(1).toStringList();
    QCOMPARE(QSet<QString>(changed.cbegin(), changed.cend()),
             (QSet<QString>{QStringLiteral("listener/address"), QStringLiteral("processing/default_region"),
                            QStringLiteral("meta/verify_token")}));
    const Settings inForce = applied.first().at(0).value<Settings>();
    QCOMPARE(inForce.listenAddress().port, freePort);

    const Settings reloaded = load();
    QCOMPARE(reloaded.listenAddress().toString(), QStringLiteral("127.0.0.1:%1").arg(freePort));
    QCOMPARE(reloaded.defaultRegion(), QStringLiteral("DE"));
    QCOMPARE(reloaded.verifyToken(), QByteArray("my verify, token"));
    QCOMPARE(reloaded.appSecret(), QByteArray("old-secret"));
    QCOMPARE(QFile::permissions(m_file) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
}

// Another program holds the port: the dialog says so beside the port and stays open; nothing is
// written, the listener is not touched (no settingsApplied).
void TestSettingsDialog::portInUseIsRefusedAndNothingChanges()
{
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    SettingsDialog dialog(load(), true);
    dialog.show();
    setText(dialog, QStringLiteral("listener/port"), QString::number(other.serverPort()));
    QVERIFY(dialog.okButton()->isEnabled()); // a valid port, only taken
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 0);
    QVERIFY(dialog.isVisible());
    QLabel *error = dialog.errorLabel(QStringLiteral("listener/port"));
    QVERIFY(error && error->isVisible());
    QVERIFY2(error->text().startsWith(QStringLiteral("Leadkeeper cannot listen on 127.0.0.1:%1")
                                          .arg(other.serverPort())),
             qPrintable(error->text()));
    QCOMPARE(load().listenAddress().toString(), QStringLiteral("127.0.0.1:8787"));
}

void TestSettingsDialog::secretsAreKeptWhenLeftEmpty()
{
    SettingsDialog dialog(load(), true);
    QVERIFY(dialog.field(QStringLiteral("meta/app_secret"))->placeholderText().contains(QStringLiteral("keep")));
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 0); // nothing changed, nothing to apply
    QCOMPARE(load().appSecret(), QByteArray("old-secret"));
}

void TestSettingsDialog::notificationsCanBeTurnedOff()
{
    const Settings s = load();
    QVERIFY(SettingsDialog::notificationsEnabled(s)); // on by default
    SettingsDialog dialog(s, true);
    QSignalSpy toggled(&dialog, &SettingsDialog::notificationsToggled);
    dialog.notificationsBox()->setChecked(false);
    QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
    QCOMPARE(toggled.size(), 1);
    QVERIFY(!SettingsDialog::notificationsEnabled(s));
    QVERIFY2(load().appSecret() == "old-secret", "the engine's file still loads (no unknown key)");
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
