#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QVariant>

#include <chrono>
#include <optional>

class QProcessEnvironment;

namespace leadkeeper {

/// One documented setting: its key in the settings file, its environment variable, its default.
struct SettingKey
{
    const char *key;         ///< key in the INI settings file, e.g. "listener/address"
    const char *envVar;      ///< LEADKEEPER_* environment variable
    const char *defaultText; ///< default as text ("" = empty)
    const char *help;        ///< one sentence for --help and the README
    bool secret = false;     ///< never printed, never logged
};

/// Where the webhook listener binds.
struct ListenAddress
{
    QHostAddress host;
    quint16 port = 0;
    QString toString() const;
    static std::optional<ListenAddress> parse(const QString &text, QString *error);
};

/// Limits Qt 6.4's QHttpServer does not enforce itself (DESIGN.md §9).
struct ListenerLimits
{
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 maxHeaderBytes = 16 * 1024;
    int maxConnections = 200;
    std::chrono::milliseconds headerTimeout{10000};  ///< first byte of a request → end of headers
    std::chrono::milliseconds requestTimeout{30000}; ///< first byte of a request → whole body
    std::chrono::milliseconds idleTimeout{60000};    ///< keep-alive connection with nothing to do
};

/**
 * The typed settings of one Leadkeeper process.
 *
 * Values come, lowest priority first, from the defaults in keys(), the INI settings file, the
 * LEADKEEPER_* environment, and explicit overrides (command-line flags). load() validates every
 * value; an invalid value is an error naming the key and the source, never silently replaced.
 * Secret values (app secret, verify token) are held here but never appear in describe().
 */
class Settings
{
public:
    static const QList<SettingKey> &keys();

    /// Default settings file: <AppConfigLocation>/leadkeeper.ini.
    static QString defaultConfigFile();
    /// Default database: <AppDataLocation>/leadkeeper.db.
    static QString defaultDatabasePath();

    /// Loads and validates. `configFile` empty = LEADKEEPER_CONFIG or defaultConfigFile() (missing file is fine,
    /// an explicitly named missing file is an error). `overrides` map setting keys to values.
    static std::optional<Settings> load(const QString &configFile, const QProcessEnvironment &env,
                                        const QVariantHash &overrides, QString *error);
    /// Defaults only, validated (used by tests and as a fallback).
    static Settings defaults();

    QString value(const char *key) const { return m_values.value(QLatin1String(key)); }

    QString configFile() const { return m_configFile; }
    QString databasePath() const;
    ListenAddress listenAddress() const { return m_listen; }
    QByteArray appSecret() const { return value("meta/app_secret").toUtf8(); }
    QByteArray verifyToken() const { return value("meta/verify_token").toUtf8(); }
    QString graphUrl() const { return value("graph/url"); }
    QString graphVersion() const { return value("graph/version"); }
    ListenerLimits listenerLimits() const { return m_limits; }
    int listenerThreads() const { return value("listener/threads").toInt(); }
    int workerConcurrency() const { return value("processing/concurrency").toInt(); }
    int maxAttempts() const { return value("processing/max_attempts").toInt(); }
    qint64 retryBaseMs() const { return value("processing/retry_base_ms").toLongLong(); }
    int graphTimeoutMs() const { return value("graph/timeout_ms").toInt(); }
    QString defaultRegion() const { return value("processing/default_region"); }
    int rejectedLogLimit() const { return value("store/rejected_log_limit").toInt(); }
    int busyTimeoutMs() const { return value("store/busy_timeout_ms").toInt(); }

    void set(const char *key, const QString &value);

    /// Human-readable "key = value (source)" lines; secrets are shown as "(set)" or "(not set)".
    QStringList describe() const;

private:
    bool validate(QString *error);

    QHash<QString, QString> m_values;
    QHash<QString, QString> m_sources;
    QString m_configFile;
    ListenAddress m_listen;
    ListenerLimits m_limits;
};

} // namespace leadkeeper
