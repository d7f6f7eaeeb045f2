#include "settings_writer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>

namespace leadkeeper {

namespace {

// Settings::load() reads a file; checking one value needs one with nothing in it.
QString emptySettingsFile()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString p = dir.filePath(QStringLiteral("empty.ini"));
        QFile f(p);
        if (f.open(QIODevice::WriteOnly))
            f.close();
        return p;
    }();
    return path;
}

// "Setting x/y (from command line) must be ..." / "Setting x/y (from ...): ..." → "Must be ...".
QString withoutKeyPrefix(const QString &sentence)
{
    static const QRegularExpression prefix(
        QStringLiteral("^Setting \\S+ \\(from [^)]*\\)(: |:| )"));
    QString s = sentence;
    s.remove(prefix);
    if (!s.isEmpty())
        s[0] = s.at(0).toUpper();
    return s;
}

} // namespace

QString SettingsWriter::check(const QString &key, const QString &value)
{
    QString error;
    const auto loaded = Settings::load(emptySettingsFile(), QProcessEnvironment(),
                                       QVariantHash{{key, value}}, &error);
    return loaded ? QString() : withoutKeyPrefix(error);
}

bool SettingsWriter::write(const QString &configFile, const QHash<QString, QString> &values,
                           QString *error)
{
    // Validate the file's current content with the new values first: nothing is written on failure.
    QVariantHash overrides;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        overrides.insert(it.key(), it.value());
    const QString existing = QFileInfo::exists(configFile) ? configFile : emptySettingsFile();
    if (!Settings::load(existing, QProcessEnvironment(), overrides, error))
        return false;

    QDir().mkpath(QFileInfo(configFile).absolutePath());
    {
        QSettings ini(configFile, QSettings::IniFormat);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            ini.setValue(it.key(), it.value());
        ini.sync();
        if (ini.status() != QSettings::NoError) {
            *error = QStringLiteral("The settings file %1 cannot be written.").arg(configFile);
            return false;
        }
    }
    QFile::setPermissions(configFile, QFile::ReadOwner | QFile::WriteOwner);
    return true;
}

Settings SettingsWriter::applied(Settings current, const QHash<QString, QString> &values)
{
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        current.set(it.key().toLatin1().constData(), it.value());
    return current;
}

QStringList SettingsWriter::changedKeys(const Settings &before, const Settings &after)
{
    QStringList changed;
    for (const SettingKey &k : Settings::keys())
        if (before.value(k.key) != after.value(k.key))
            changed.append(QLatin1String(k.key));
    return changed;
}

bool SettingsWriter::affectsListener(const QString &key)
{
    return key.startsWith(QLatin1String("listener/")) || key == QLatin1String("meta/app_secret")
           || key == QLatin1String("meta/verify_token") || key == QLatin1String("store/database");
}

bool SettingsWriter::needsRestart(const QString &key)
{
    return key.startsWith(QLatin1String("processing/")) || key.startsWith(QLatin1String("graph/"))
           || key.startsWith(QLatin1String("store/"));
}

} // namespace leadkeeper
