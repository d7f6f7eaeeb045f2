#pragma once

#include "settings/settings.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace leadkeeper::ui {

/**
 * The desk's settings (DESIGN.md §8): listener address and port, app secret and verify token
 * (password fields), Graph API URL and version, worker concurrency, default phone region, and
 * whether failed leads raise a desktop notification.
 *
 * Every field is checked on each keystroke with Settings' own rules (SettingsWriter::check): the
 * reason stands under the field and OK stays disabled while any field is invalid. OK writes the
 * changed values to the settings file (SettingsWriter::write; a quick local file write) and emits
 * settingsApplied() with the settings now in force and the keys that changed, so the caller can
 * rebind the listener (SettingsWriter::affectsListener) and say what waits for a restart.
 * Secrets are never shown: their fields start empty and "leave empty to keep" the stored value.
 */
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const Settings &current, bool notificationsEnabled, QWidget *parent = nullptr);

    QLineEdit *field(const QString &key) const { return m_edits.value(key); }
    QLabel *errorLabel(const QString &key) const { return m_errors.value(key); }
    QPushButton *okButton() const;
    QCheckBox *notificationsBox() const { return m_notifications; }

    /// The desk's own preferences file, next to the settings file (desk.ini): keys there are not
    /// settings of the engine, which refuses unknown keys in leadkeeper.ini.
    static QString deskPreferencesFile(const Settings &settings);
    static bool notificationsEnabled(const Settings &settings);

Q_SIGNALS:
    void settingsApplied(const leadkeeper::Settings &settings, const QStringList &changedKeys);
    void notificationsToggled(bool enabled);

private:
    QLineEdit *addField(QFormLayout *form, const QString &key, const QString &label,
                        const QString &help, bool secret = false);
    void validate();
    QHash<QString, QString> changedValues() const;
    void apply();

    Settings m_current;
    bool m_notificationsWere;
    QHash<QString, QLineEdit *> m_edits;
    QHash<QString, QLabel *> m_errors;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QCheckBox *m_notifications = nullptr;
    QLabel *m_saveError = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace leadkeeper::ui
