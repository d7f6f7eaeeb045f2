#pragma once

#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * Keeps page access tokens (and other secrets) out of the database, keyed by a reference such as
 * "page:<page_id>" (PageConfig::tokenRef). DESIGN.md §7: in the OS keychain where one answers,
 * else in a file only the owner can read.
 *
 * Backend choice, once per store: Backend::File, or LEADKEEPER_SECRET_STORE=file in the
 * environment, forces the file. Otherwise (Auto) the system keychain is probed once per process
 * with a write, read and delete of a test entry, bounded by Options::probeTimeoutMs; a keychain
 * that does not answer in time, or a build without QtKeychain, means the file.
 *
 * File backend guarantees: `secrets.json` in Options::directory (default AppConfigLocation, the
 * folder of leadkeeper.ini) is owner-only (0600, folder 0700). The mode is set before any content
 * is written, a file found with a wider mode is corrected (with a warning that names the file,
 * never its content), and every write replaces the file atomically (QSaveFile) under a lock file,
 * so two processes never lose each other's tokens.
 *
 * Keychain backend: QtKeychain's jobs are asynchronous; each call runs one in a local QEventLoop
 * with a timeout, so every method blocks its caller and dispatches that thread's events meanwhile.
 * Call it from a worker thread or the CLI, never from the GUI thread. A token that is not in the
 * keychain is looked up in the file too (tokens written while the keychain was unavailable).
 *
 * Secret values are never logged and never part of an error message; this class has no QDebug
 * operator. Not thread-safe: one SecretStore per thread (the file lock covers other processes).
 */
class SecretStore
{
public:
    enum class Backend { Auto, File };

    struct Options
    {
        Backend backend = Backend::Auto;
        QString directory;                 ///< file backend folder; "" = AppConfigLocation
        bool honourEnvironment = true;     ///< LEADKEEPER_SECRET_STORE=file forces the file
        int probeTimeoutMs = 3000;         ///< whole keychain probe (write + read + delete)
        int operationTimeoutMs = 30000;    ///< one keychain read/write/delete (unlock prompts)
        QString keychainService = QStringLiteral("Leadkeeper");
    };

    SecretStore();
    explicit SecretStore(const Options &options);

    /// True when the system keychain is in use.
    bool usesKeychain() const { return m_keychain; }
    /// "system keychain (Secret Service)" or "file ~/.config/.../secrets.json (owner-only)".
    QString backendName() const;
    /// The secrets file (also consulted by the keychain backend for older entries).
    QString filePath() const { return m_filePath; }

    /// Found: the token. Not stored: nullopt with *error empty. Failure: nullopt, *error set.
    std::optional<QString> token(const QString &ref, QString *error) const;
    bool hasToken(const QString &ref, QString *error) const;
    /// Stores (replaces) the token; an empty token is refused.
    bool setToken(const QString &ref, const QString &token, QString *error);
    /// Removes the token; removing a missing token succeeds.
    bool removeToken(const QString &ref, QString *error);

    /// Whether this build links QtKeychain at all.
    static bool keychainCompiledIn();

private:
    std::optional<QString> fileToken(const QString &ref, QString *error) const;
    bool fileUpdate(const QString &ref, const std::optional<QString> &token, QString *error);

    Options m_options;
    bool m_keychain = false;
    QString m_filePath;
};

} // namespace leadkeeper
