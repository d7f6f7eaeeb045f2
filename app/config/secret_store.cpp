#include "secret_store.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <mutex>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

#ifdef LEADKEEPER_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

Q_LOGGING_CATEGORY(lcSecrets, "leadkeeper.secrets", QtInfoMsg)

namespace leadkeeper {

namespace {

constexpr auto kFileName = "secrets.json";
constexpr auto kFormat = "leadkeeper-secrets";

// --- file backend -----------------------------------------------------------------------------

#ifdef Q_OS_UNIX
int fileMode(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

bool setFileMode(const QString &path, int mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}
#endif

/// Makes an existing secrets file owner-only again; says so without showing any content.
bool enforceOwnerOnly(const QString &path, QString *error)
{
#ifdef Q_OS_UNIX
    const int mode = fileMode(path);
    if (mode < 0 || mode == 0600)
        return true;
    if (!setFileMode(path, 0600) || fileMode(path) != 0600) {
        *error = QStringLiteral("The secrets file %1 is readable by others (mode %2) and its mode "
                                "cannot be corrected to 0600.")
                     .arg(path, QString::number(mode, 8));
        return false;
    }
    qCWarning(lcSecrets, "The secrets file %s had mode %s; corrected to 0600 (owner only).",
              qPrintable(path), qPrintable(QString::number(mode, 8)));
#else
    Q_UNUSED(path);
    Q_UNUSED(error);
#endif
    return true;
}

/// Every token in the file; a missing file is an empty map. Never quotes the file's content.
std::optional<QHash<QString, QString>> readSecretsFile(const QString &path, QString *error)
{
    QHash<QString, QString> tokens;
    QFile file(path);
    if (!file.exists())
        return tokens;
    if (!enforceOwnerOnly(path, error))
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("The secrets file %1 cannot be read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    const auto json = nlohmann::json::parse(bytes.cbegin(), bytes.cend(), nullptr, false);
    const auto damaged = [&] {
        *error = QStringLiteral("The secrets file %1 is damaged (not a Leadkeeper secrets file); "
                                "move it away and set the page tokens again.")
                     .arg(path);
        return std::nullopt;
    };
    if (!json.is_object() || json.value("format", std::string()) != kFormat)
        return damaged();
    const auto it = json.find("tokens");
    if (it == json.end() || !it->is_object())
        return damaged();
    for (const auto &[ref, value] : it->items()) {
        if (!value.is_string())
            return damaged();
        tokens.insert(QString::fromStdString(ref), QString::fromStdString(value.get<std::string>()));
    }
    return tokens;
}

bool ensureFolder(const QString &path, QString *error)
{
    const QDir dir = QFileInfo(path).dir();
    if (dir.exists())
        return true;
    if (!QDir().mkpath(dir.path())) {
        *error = QStringLiteral("The folder %1 cannot be created.").arg(dir.path());
        return false;
    }
    // A folder created for secrets is the owner's alone.
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

bool writeSecretsFile(const QString &path, const QHash<QString, QString> &tokens, QString *error)
{
    nlohmann::json doc = {{"format", kFormat}, {"version", 1}, {"tokens", nlohmann::json::object()}};
    for (auto it = tokens.cbegin(); it != tokens.cend(); ++it)
        doc["tokens"][it.key().toStdString()] = it.value().toStdString();
    const std::string text = doc.dump(2) + "\n";

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("The secrets file %1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
    // The temporary file becomes owner-only before it holds a single byte of a secret.
    if (!file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)) {
        file.cancelWriting();
        *error = QStringLiteral("The secrets file %1 cannot be made owner-only.").arg(path);
        return false;
    }
    if (file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        *error = QStringLiteral("The secrets file %1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
#ifdef Q_OS_UNIX
    if (fileMode(path) != 0600 && (!setFileMode(path, 0600) || fileMode(path) != 0600)) {
        *error = QStringLiteral("The secrets file %1 cannot be made owner-only (mode 0600).").arg(path);
        return false;
    }
#endif
    return true;
}

// --- keychain backend -------------------------------------------------------------------------

#ifdef LEADKEEPER_HAVE_KEYCHAIN
struct JobOutcome
{
    bool finished = false;
    QKeychain::Error error = QKeychain::OtherError;
    QString errorString;
    QString text;
};

/// Runs one QtKeychain job to its end, or until the timeout; a job that times out is left to
/// delete itself whenever it ends (its result is no longer wanted).
JobOutcome runJob(QKeychain::Job *job, int timeoutMs)
{
    JobOutcome out;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *j) {
        out.finished = true;
        out.error = j->error();
        out.errorString = j->errorString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(j))
            out.text = read->textData();
        loop.quit();
    });
    QTimer::singleShot(qMax(1, timeoutMs), &loop, &QEventLoop::quit);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text QSettings file behind our back
    job->start();
    if (!out.finished)
        loop.exec();
    if (!out.finished)
        out.errorString = QStringLiteral("the keychain did not answer within %1 ms").arg(timeoutMs);
    return out;
}

JobOutcome readJob(const QString &service, const QString &key, int timeoutMs)
{
    auto *job = new QKeychain::ReadPasswordJob(service);
    job->setKey(key);
    return runJob(job, timeoutMs);
}

JobOutcome writeJob(const QString &service, const QString &key, const QString &value, int timeoutMs)
{
    auto *job = new QKeychain::WritePasswordJob(service);
    job->setKey(key);
    job->setTextData(value);
    return runJob(job, timeoutMs);
}

JobOutcome deleteJob(const QString &service, const QString &key, int timeoutMs)
{
    auto *job = new QKeychain::DeletePasswordJob(service);
    job->setKey(key);
    return runJob(job, timeoutMs);
}

bool probeKeychain(const QString &service, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    const QString key = QStringLiteral("leadkeeper-probe-%1").arg(QCoreApplication::applicationPid());
    const QString value = QString::number(QRandomGenerator::global()->generate64(), 16);
    const auto remaining = [&] { return int(qMax<qint64>(1, deadline.remainingTime())); };
    const JobOutcome written = writeJob(service, key, value, remaining());
    if (!written.finished || written.error != QKeychain::NoError) {
        qCDebug(lcSecrets, "No system keychain answers (%s); page tokens go to the owner-only file.",
               qPrintable(written.errorString));
        return false;
    }
    const JobOutcome read = readJob(service, key, remaining());
    const bool ok = read.finished && read.error == QKeychain::NoError && read.text == value;
    deleteJob(service, key, remaining());
    if (!ok)
        qCDebug(lcSecrets, "The system keychain does not read back what it stored (%s); page "
                          "tokens go to the owner-only file.",
               qPrintable(read.errorString));
    return ok;
}
#endif

} // namespace

// --- SecretStore ------------------------------------------------------------------------------

SecretStore::SecretStore() : SecretStore(Options{}) {}

SecretStore::SecretStore(const Options &options) : m_options(options)
{
    const QString dir = options.directory.isEmpty()
                            ? QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                            : options.directory;
    m_filePath = QDir(dir).filePath(QLatin1String(kFileName));

    bool forceFile = options.backend == Backend::File;
    if (options.honourEnvironment
        && qEnvironmentVariable("LEADKEEPER_SECRET_STORE").compare(QLatin1String("file"),
                                                                     Qt::CaseInsensitive)
               == 0)
        forceFile = true;
#ifdef LEADKEEPER_HAVE_KEYCHAIN
    if (!forceFile) {
        // Once per process: a keychain that does not answer would cost the timeout every time.
        static std::once_flag probed;
        static bool available = false;
        std::call_once(probed, [&] { available = probeKeychain(options.keychainService,
                                                               options.probeTimeoutMs); });
        m_keychain = available;
    }
#else
    Q_UNUSED(forceFile);
#endif
}

bool SecretStore::keychainCompiledIn()
{
#ifdef LEADKEEPER_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

QString SecretStore::backendName() const
{
    if (m_keychain) {
#if defined(Q_OS_MACOS)
        return QStringLiteral("system keychain (macOS Keychain)");
#elif defined(Q_OS_WIN)
        return QStringLiteral("system keychain (Windows Credential Manager)");
#else
        return QStringLiteral("system keychain (Secret Service)");
#endif
    }
    QString shown = QDir::toNativeSeparators(m_filePath);
    const QString home = QDir::toNativeSeparators(QDir::homePath());
    if (!home.isEmpty() && shown.startsWith(home + QDir::separator()))
        shown = QLatin1Char('~') + shown.mid(home.size());
    return QStringLiteral("file %1 (owner-only)").arg(shown);
}

std::optional<QString> SecretStore::fileToken(const QString &ref, QString *error) const
{
    const auto tokens = readSecretsFile(m_filePath, error);
    if (!tokens)
        return std::nullopt;
    const auto it = tokens->constFind(ref);
    if (it == tokens->constEnd())
        return std::nullopt;
    return *it;
}

bool SecretStore::fileUpdate(const QString &ref, const std::optional<QString> &token, QString *error)
{
    if (!ensureFolder(m_filePath, error))
        return false;
    QLockFile lock(m_filePath + QStringLiteral(".lock"));
    lock.setStaleLockTime(10000);
    if (!lock.tryLock(10000)) {
        *error = QStringLiteral("The secrets file %1 is locked by another Leadkeeper process.")
                     .arg(m_filePath);
        return false;
    }
    auto tokens = readSecretsFile(m_filePath, error);
    if (!tokens)
        return false;
    if (token) {
        tokens->insert(ref, *token);
    } else {
        if (!tokens->contains(ref))
            return true;
        tokens->remove(ref);
    }
    return writeSecretsFile(m_filePath, *tokens, error);
}

std::optional<QString> SecretStore::token(const QString &ref, QString *error) const
{
    error->clear();
#ifdef LEADKEEPER_HAVE_KEYCHAIN
    if (m_keychain) {
        const JobOutcome read = readJob(m_options.keychainService, ref, m_options.operationTimeoutMs);
        if (read.finished && read.error == QKeychain::NoError)
            return read.text;
        if (!read.finished || read.error != QKeychain::EntryNotFound) {
            *error = QStringLiteral("The system keychain cannot be read: %1").arg(read.errorString);
            return std::nullopt;
        }
        // Not in the keychain: it may have been stored while the keychain was unavailable.
    }
#endif
    return fileToken(ref, error);
}

bool SecretStore::hasToken(const QString &ref, QString *error) const
{
    return token(ref, error).has_value();
}

bool SecretStore::setToken(const QString &ref, const QString &token, QString *error)
{
    if (ref.isEmpty() || token.isEmpty()) {
        *error = QStringLiteral("A secret needs a reference and a non-empty value.");
        return false;
    }
#ifdef LEADKEEPER_HAVE_KEYCHAIN
    if (m_keychain) {
        const JobOutcome written = writeJob(m_options.keychainService, ref, token,
                                            m_options.operationTimeoutMs);
        if (!written.finished || written.error != QKeychain::NoError) {
            *error = QStringLiteral("The system keychain cannot store the secret %1: %2")
                         .arg(ref, written.errorString);
            return false;
        }
        // An older copy in the file would otherwise linger there.
        QString ignored;
        if (QFile::exists(m_filePath))
            fileUpdate(ref, std::nullopt, &ignored);
        return true;
    }
#endif
    return fileUpdate(ref, token, error);
}

bool SecretStore::removeToken(const QString &ref, QString *error)
{
#ifdef LEADKEEPER_HAVE_KEYCHAIN
    if (m_keychain) {
        const JobOutcome removed = deleteJob(m_options.keychainService, ref,
                                             m_options.operationTimeoutMs);
        if (!removed.finished
            || (removed.error != QKeychain::NoError && removed.error != QKeychain::EntryNotFound)) {
            *error = QStringLiteral("The system keychain cannot remove the secret %1: %2")
                         .arg(ref, removed.errorString);
            return false;
        }
    }
#endif
    if (!QFile::exists(m_filePath))
        return true;
    return fileUpdate(ref, std::nullopt, error);
}

} // namespace leadkeeper
