#include "settings_dialog.h"

#include "settings/settings_writer.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTcpServer>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

const QString kAddress = QStringLiteral("listener/address");
const QString kPort = QStringLiteral("listener/port"); // the port half of listener/address
const QString kSecret = QStringLiteral("meta/app_secret");
const QString kVerify = QStringLiteral("meta/verify_token");
const QString kNotifyKey = QStringLiteral("notifications/failed_leads");

bool isSecret(const QString &key)
{
    return key == kSecret || key == kVerify;
}

QString hostText(const ListenAddress &a)
{
    return a.host.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(a.host.toString())
                                                               : a.host.toString();
}

} // namespace

SettingsDialog::SettingsDialog(const Settings &current, bool notificationsEnabled, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_notificationsWere(notificationsEnabled)
{
    setWindowTitle(tr("Settings"));
    // Created first: filling the fields below already validates, which enables or disables OK.
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_host = addField(form, kAddress, tr("Listen on address"),
                      tr("127.0.0.1 = this computer only; 0.0.0.0 = every network interface."));
    m_port = addField(form, kPort, tr("Port"), tr("Meta's webhooks arrive on this port (1-65535)."));
    m_host->setText(hostText(current.listenAddress()));
    m_port->setText(QString::number(current.listenAddress().port));
    addField(form, kSecret, tr("App secret"),
             tr("From your Meta app's Basic settings; every webhook is checked with it."), true);
    addField(form, kVerify, tr("Verify token"),
             tr("The same text you typed as “Verify token” in the Meta app's webhook setup."), true);
    addField(form, QStringLiteral("graph/url"), tr("Graph API address"), {});
    addField(form, QStringLiteral("graph/version"), tr("Graph API version"), {});
    addField(form, QStringLiteral("processing/concurrency"), tr("Leads processed at once"),
             tr("1-256; each may wait on Meta."));
    addField(form, QStringLiteral("processing/default_region"), tr("Default phone region"),
             tr("Two capital letters, e.g. US or DE: how phone numbers without +country code are read."));

    m_notifications = new QCheckBox(tr("Show a desktop notification when leads fail"));
    m_notifications->setChecked(notificationsEnabled);
    form->addRow(QString(), m_notifications);

    m_saveError = new QLabel;
    m_saveError->setTextFormat(Qt::PlainText);
    m_saveError->setWordWrap(true);
    m_saveError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_saveError->hide();

    auto *where = new QLabel(tr("Saved in %1").arg(QDir::toNativeSeparators(current.configFile())));
    where->setTextFormat(Qt::PlainText);
    where->setStyleSheet(QStringLiteral("color: palette(mid);"));
    where->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(where);
    layout->addWidget(m_saveError);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::apply);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QPushButton *SettingsDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QLineEdit *SettingsDialog::addField(QFormLayout *form, const QString &key, const QString &label,
                                    const QString &help, bool secret)
{
    auto *edit = new QLineEdit;
    if (secret) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setPlaceholderText(m_current.value(key.toLatin1().constData()).isEmpty()
                                     ? tr("not set")
                                     : tr("set — leave empty to keep it"));
    } else if (key != kAddress && key != kPort) {
        edit->setText(m_current.value(key.toLatin1().constData()));
    }
    edit->setToolTip(help);
    auto *error = new QLabel;
    error->setTextFormat(Qt::PlainText);
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #b00020;"));
    error->hide();
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(edit);
    v->addWidget(error);
    form->addRow(label, box);
    m_edits.insert(key, edit);
    m_errors.insert(key, error);
    connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    return edit;
}

QHash<QString, QString> SettingsDialog::changedValues() const
{
    QHash<QString, QString> out;
    const QString address = QStringLiteral("%1:%2").arg(m_host->text().trimmed(), m_port->text().trimmed());
    if (address != m_current.listenAddress().toString())
        out.insert(kAddress, address);
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        if (it.key() == kAddress || it.key() == kPort)
            continue;
        const QString text = isSecret(it.key()) ? it.value()->text() : it.value()->text().trimmed();
        if (isSecret(it.key()) && text.isEmpty())
            continue; // empty = keep
        if (text != m_current.value(it.key().toLatin1().constData()))
            out.insert(it.key(), text);
    }
    return out;
}

void SettingsDialog::validate()
{
    if (!m_host || !m_port)
        return; // still being built
    bool ok = true;
    auto show = [&](const QString &key, const QString &problem) {
        m_errors.value(key)->setText(problem);
        m_errors.value(key)->setVisible(!problem.isEmpty());
        ok = ok && problem.isEmpty();
    };
    // Host and port are one setting; each half is checked with a known-good other half so the
    // reason lands next to the field at fault.
    show(kAddress, SettingsWriter::check(kAddress, m_host->text().trimmed() + QStringLiteral(":8787")));
    const QString port = m_port->text().trimmed();
    show(kPort, port == QLatin1String("0")
                    ? tr("Port 0 picks a random port each start, which Meta cannot reach; use 1-65535.")
                    : SettingsWriter::check(kAddress, QStringLiteral("127.0.0.1:") + port));
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        if (it.key() == kAddress || it.key() == kPort || isSecret(it.key()))
            continue;
        show(it.key(), SettingsWriter::check(it.key(), it.value()->text().trimmed()));
    }
    okButton()->setEnabled(ok);
}

void SettingsDialog::apply()
{
    const QHash<QString, QString> values = changedValues();
    QString error;
    // A new listener port another program holds would leave Leadkeeper deaf to Meta: try it
    // first, and keep the listener where it is when it cannot be had. (The port in use now is
    // held by this listener itself; a new host on it is tried by the rebind, with its banner.)
    if (values.contains(kAddress)) {
        QString parseError;
        const auto address = ListenAddress::parse(values.value(kAddress), &parseError);
        QTcpServer probe;
        if (address && address->port != m_current.listenAddress().port &&
            !probe.listen(address->host, address->port)) {
            m_errors.value(kPort)->setText(tr("Leadkeeper cannot listen on %1: %2. Choose another "
                                              "port, or stop the program that uses it.")
                                               .arg(address->toString(), probe.errorString()));
            m_errors.value(kPort)->show();
            return;
        }
    }
    if (!values.isEmpty() && !SettingsWriter::write(m_current.configFile(), values, &error)) {
        m_saveError->setText(error);
        m_saveError->show();
        return;
    }
    if (m_notifications->isChecked() != m_notificationsWere) {
        QSettings prefs(deskPreferencesFile(m_current), QSettings::IniFormat);
        prefs.setValue(kNotifyKey, m_notifications->isChecked());
        Q_EMIT notificationsToggled(m_notifications->isChecked());
    }
    if (!values.isEmpty()) {
        const Settings updated = SettingsWriter::applied(m_current, values);
        Q_EMIT settingsApplied(updated, SettingsWriter::changedKeys(m_current, updated));
    }
    accept();
}

QString SettingsDialog::deskPreferencesFile(const Settings &settings)
{
    return QFileInfo(settings.configFile()).dir().filePath(QStringLiteral("desk.ini"));
}

bool SettingsDialog::notificationsEnabled(const Settings &settings)
{
    return QSettings(deskPreferencesFile(settings), QSettings::IniFormat).value(kNotifyKey, true).toBool();
}

} // namespace leadkeeper::ui
