#pragma once

#include "settings/settings.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace leadkeeper {

/**
 * Changes settings the way the settings dialog needs: one value checked alone with Settings' own
 * rules (so the error can stand next to its field), and a set of values written to the INI
 * settings file.
 *
 * Guarantees: check() and write() use Settings::load(), the same validation the desk and `serve`
 * apply when they start, so a value accepted here is accepted there. write() refuses the whole
 * change, and leaves the file untouched, when any value is invalid; it keeps the file's other keys,
 * and the file is owner-only (it may hold the app secret). QtCore only; quick file I/O, no network.
 */
class SettingsWriter
{
public:
    /// "" when `value` is valid for `key`, else one sentence without the key's technical name
    /// ("Must be a two-letter region code such as US or DE, not \"usa\".").
    static QString check(const QString &key, const QString &value);

    /// Writes `values` (setting key → text) into `configFile`. On failure returns false with
    /// *error set, and the file is unchanged.
    static bool write(const QString &configFile, const QHash<QString, QString> &values,
                      QString *error);
    /// `current` with `values` applied (what the running process uses after write()).
    static Settings applied(Settings current, const QHash<QString, QString> &values);

    /// The keys whose values differ between the two settings.
    static QStringList changedKeys(const Settings &before, const Settings &after);
    /// Whether a change of `key` needs the webhook listener restarted (address, secret, token,
    /// limits); the listener can do that without restarting the desk.
    static bool affectsListener(const QString &key);
    /// Whether a change of `key` only takes effect after the desk restarts (processing engine and
    /// store settings).
    static bool needsRestart(const QString &key);
};

} // namespace leadkeeper
