#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace leadkeeper {

const QList<SettingKey> &Settings::keys()
{
    static const QList<SettingKey> all = {
        {"store/database", "LEADKEEPER_DB", "",
         "SQLite database file (default: leadkeeper.db in the user's data directory)"},
        {"store/busy_timeout_ms", "LEADKEEPER_BUSY_TIMEOUT_MS", "5000",
         "How long a write waits for another writer before the store reports it cannot write"},
        {"store/rejected_log_limit", "LEADKEEPER_REJECTED_LOG_LIMIT", "1000",
         "How many rejected deliveries are kept (oldest are dropped)"},
        {"listener/address", "LEADKEEPER_LISTEN", "127.0.0.1:8787",
         "Address and port of the webhook listener (host:port; [v6]:port; port 0 picks a free one)"},
        {"listener/max_body_bytes", "LEADKEEPER_MAX_BODY_BYTES", "1048576",
         "Largest webhook body accepted; a larger announced body is answered 413 before it is read"},
        {"listener/max_connections", "LEADKEEPER_MAX_CONNECTIONS", "200",
         "Open connections at most; further connections are closed at once"},
        {"listener/header_timeout_ms", "LEADKEEPER_HEADER_TIMEOUT_MS", "10000",
         "A request's headers must arrive within this time"},
        {"listener/request_timeout_ms", "LEADKEEPER_REQUEST_TIMEOUT_MS", "30000",
         "A request's headers and body must arrive within this time"},
        {"listener/idle_timeout_ms", "LEADKEEPER_IDLE_TIMEOUT_MS", "60000",
         "A keep-alive connection with no request for this long is closed"},
        {"listener/threads", "LEADKEEPER_LISTENER_THREADS", "16",
         "Threads that verify, parse and answer webhooks (1-32); one more thread commits for all"},
        {"meta/app_secret", "LEADKEEPER_APP_SECRET", "",
         "Meta app secret; webhooks are verified with HMAC-SHA256 over the raw body. Empty = every "
         "POST is refused",
         true},
        {"meta/verify_token", "LEADKEEPER_VERIFY_TOKEN", "",
         "Token Meta sends in the subscription handshake. Empty = the handshake always fails", true},
        {"graph/url", "LEADKEEPER_GRAPH_URL", "https://graph.facebook.com", "Graph API base URL"},
        {"graph/version", "LEADKEEPER_GRAPH_VERSION", "v24.0", "Graph API version"},
        {"graph/timeout_ms", "LEADKEEPER_GRAPH_TIMEOUT_MS", "20000",
         "A Graph API call that takes longer fails (and is retried later)"},
        {"processing/concurrency", "LEADKEEPER_CONCURRENCY", "16",
         "How many leads are processed at the same time (each may wait on Meta)"},
        {"processing/max_attempts", "LEADKEEPER_MAX_ATTEMPTS", "8",
         "Attempts for a lead whose fetch fails transiently before it is set to Error"},
        {"processing/retry_base_ms", "LEADKEEPER_RETRY_BASE_MS", "30000",
         "Wait before the first retry; it doubles with each attempt (with jitter), up to an hour"},
        {"processing/default_region", "LEADKEEPER_DEFAULT_REGION", "US",
         "Phone region used when a page config names none (ISO 3166 code)"},
    };
    return all;
}

QString ListenAddress::toString() const
{
    if (host.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(host.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(host.toString()).arg(port);
}

std::optional<ListenAddress> ListenAddress::parse(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0) {
        *error = QStringLiteral("\"%1\" is not host:port (for example 127.0.0.1:8787)").arg(text);
        return std::nullopt;
    }
    QString hostText = t.left(colon);
    if (hostText.startsWith(QLatin1Char('[')) && hostText.endsWith(QLatin1Char(']'))) {
        hostText = hostText.mid(1, hostText.size() - 2);
    } else if (hostText.contains(QLatin1Char(':'))) {
        // "::1:8787" could be [::1]:8787 or [::1:8787]: refuse to guess.
        *error = QStringLiteral("\"%1\": write an IPv6 address in brackets, e.g. [::1]:8787").arg(text);
        return std::nullopt;
    }
    const QString portText = t.mid(colon + 1);
    bool ok = !portText.isEmpty()
              && std::all_of(portText.cbegin(), portText.cend(), [](QChar c) { return c.isDigit(); });
    const uint port = ok ? portText.toUInt(&ok) : 0;
    if (!ok || port > 65535) {
        *error = QStringLiteral("\"%1\" has no valid port (0-65535)").arg(text);
        return std::nullopt;
    }
    ListenAddress a;
    if (hostText == QLatin1String("localhost"))
        a.host = QHostAddress(QHostAddress::LocalHost);
    else if (hostText == QLatin1String("*"))
        a.host = QHostAddress(QHostAddress::Any);
    else
        a.host = QHostAddress(hostText);
    if (a.host.isNull()) {
        *error = QStringLiteral("\"%1\" is not an IP address").arg(hostText);
        return std::nullopt;
    }
    a.port = quint16(port);
    return a;
}

QString Settings::defaultConfigFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("leadkeeper.ini"));
}

QString Settings::defaultDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("leadkeeper.db"));
}

QString Settings::databasePath() const
{
    const QString v = value("store/database");
    return v.isEmpty() ? defaultDatabasePath() : v;
}

void Settings::set(const char *key, const QString &value)
{
    m_values.insert(QLatin1String(key), value);
    m_sources.insert(QLatin1String(key), QStringLiteral("set"));
    QString ignored;
    validate(&ignored);
}

Settings Settings::defaults()
{
    Settings s;
    for (const SettingKey &k : keys()) {
        s.m_values.insert(QLatin1String(k.key), QLatin1String(k.defaultText));
        s.m_sources.insert(QLatin1String(k.key), QStringLiteral("default"));
    }
    QString error;
    const bool ok = s.validate(&error);
    Q_ASSERT_X(ok, "Settings::defaults", qPrintable(error));
    Q_UNUSED(ok);
    return s;
}

std::optional<Settings> Settings::load(const QString &configFile, const QProcessEnvironment &env,
                                       const QVariantHash &overrides, QString *error)
{
    Settings s = defaults();
    QString file = configFile;
    bool explicitFile = !file.isEmpty();
    // An empty LEADKEEPER_CONFIG counts as unset (a unit file's "Environment=LEADKEEPER_CONFIG=").
    if (file.isEmpty() && !env.value(QStringLiteral("LEADKEEPER_CONFIG")).isEmpty()) {
        file = env.value(QStringLiteral("LEADKEEPER_CONFIG"));
        explicitFile = true;
    }
    if (file.isEmpty())
        file = defaultConfigFile();
    s.m_configFile = file;

    const QFileInfo fileInfo(file);
    if (fileInfo.exists()) {
        if (!fileInfo.isFile() || !fileInfo.isReadable()) {
            *error = QStringLiteral("The settings file %1 cannot be read (not a readable file).")
                         .arg(file);
            return std::nullopt;
        }
        QSettings ini(file, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError) {
            *error = QStringLiteral("The settings file %1 cannot be read (format error).").arg(file);
            return std::nullopt;
        }
        const QString fileSource = QStringLiteral("file %1").arg(file);
        const QStringList present = ini.allKeys();
        for (const QString &k : present) {
            const bool known = std::any_of(keys().cbegin(), keys().cend(), [&](const SettingKey &d) {
                return k == QLatin1String(d.key);
            });
            if (!known) {
                *error = QStringLiteral("The settings file %1 has an unknown key \"%2\".").arg(file, k);
                return std::nullopt;
            }
            const QVariant v = ini.value(k);
            // QSettings splits an unquoted value at commas; toString() would then be empty, and a
            // secret with a comma would silently turn into "no secret".
            if (v.typeId() == QMetaType::QStringList) {
                *error = QStringLiteral("The settings file %1: the value of \"%2\" contains a comma; "
                                        "write it in double quotes (%2=\"...\").")
                             .arg(file, k);
                return std::nullopt;
            }
            s.m_values.insert(k, v.toString());
            s.m_sources.insert(k, fileSource);
        }
    } else if (explicitFile) {
        *error = QStringLiteral("The settings file %1 does not exist.").arg(file);
        return std::nullopt;
    }

    for (const SettingKey &k : keys()) {
        const QString var = QLatin1String(k.envVar);
        if (env.contains(var)) {
            s.m_values.insert(QLatin1String(k.key), env.value(var));
            s.m_sources.insert(QLatin1String(k.key), var);
        }
    }
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        if (!s.m_values.contains(it.key())) {
            *error = QStringLiteral("There is no setting \"%1\".").arg(it.key());
            return std::nullopt;
        }
        s.m_values.insert(it.key(), it.value().toString());
        s.m_sources.insert(it.key(), QStringLiteral("command line"));
    }
    if (!s.validate(error))
        return std::nullopt;
    return s;
}

bool Settings::validate(QString *error)
{
    auto where = [this](const char *key) {
        return QStringLiteral("%1 (from %2)").arg(QLatin1String(key),
                                                 m_sources.value(QLatin1String(key)));
    };
    auto positive = [&](const char *key, qint64 min, qint64 max, qint64 *out) {
        bool ok = false;
        const qint64 v = value(key).toLongLong(&ok);
        if (!ok || v < min || v > max) {
            *error = QStringLiteral("Setting %1 must be a whole number from %2 to %3, not \"%4\".")
                         .arg(where(key))
                         .arg(min)
                         .arg(max)
                         .arg(value(key));
            return false;
        }
        *out = v;
        return true;
    };

    QString listenError;
    const auto listen = ListenAddress::parse(value("listener/address"), &listenError);
    if (!listen) {
        *error = QStringLiteral("Setting %1: %2.").arg(where("listener/address"), listenError);
        return false;
    }
    m_listen = *listen;

    qint64 v = 0;
    ListenerLimits limits;
    if (!positive("listener/max_body_bytes", 1024, 64LL * 1024 * 1024, &limits.maxBodyBytes))
        return false;
    if (!positive("listener/max_connections", 1, 10000, &v))
        return false;
    limits.maxConnections = int(v);
    if (!positive("listener/header_timeout_ms", 50, 3600000, &v))
        return false;
    limits.headerTimeout = std::chrono::milliseconds(v);
    if (!positive("listener/request_timeout_ms", 50, 3600000, &v))
        return false;
    limits.requestTimeout = std::chrono::milliseconds(v);
    if (!positive("listener/idle_timeout_ms", 50, 3600000, &v))
        return false;
    limits.idleTimeout = std::chrono::milliseconds(v);
    m_limits = limits;
    if (!positive("listener/threads", 1, 32, &v))
        return false;

    if (!positive("store/busy_timeout_ms", 0, 600000, &v)
        || !positive("store/rejected_log_limit", 10, 10000000, &v)
        || !positive("processing/concurrency", 1, 256, &v)
        || !positive("processing/max_attempts", 1, 100, &v)
        || !positive("processing/retry_base_ms", 1, 86400000, &v)
        || !positive("graph/timeout_ms", 100, 600000, &v))
        return false;

    const QString region = value("processing/default_region");
    if (region.size() != 2 || !region.at(0).isUpper() || !region.at(1).isUpper()) {
        *error = QStringLiteral("Setting %1 must be a two-letter region code such as US or DE, not "
                                "\"%2\".")
                     .arg(where("processing/default_region"), region);
        return false;
    }
    const QString graph = value("graph/url");
    if (!graph.startsWith(QLatin1String("http://")) && !graph.startsWith(QLatin1String("https://"))) {
        *error = QStringLiteral("Setting %1 must be an http:// or https:// URL, not \"%2\".")
                     .arg(where("graph/url"), graph);
        return false;
    }
    return true;
}

QStringList Settings::describe() const
{
    QStringList lines;
    for (const SettingKey &k : keys()) {
        const QString key = QLatin1String(k.key);
        QString shown = m_values.value(key);
        if (k.secret)
            shown = shown.isEmpty() ? QStringLiteral("(not set)") : QStringLiteral("(set)");
        else if (key == QLatin1String("store/database"))
            shown = databasePath();
        lines << QStringLiteral("%1 = %2   [%3]").arg(key, shown, m_sources.value(key));
    }
    return lines;
}

} // namespace leadkeeper
