#include "serve_process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace leadkeeper::bench {

namespace {

sockaddr_in loopback(quint16 port)
{
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

/// A port nobody listens on right now (the kernel's choice for a bind to port 0).
quint16 freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(0);
    socklen_t len = sizeof addr;
    quint16 port = 0;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

bool accepts(quint16 port)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in addr = loopback(port);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0;
    if (fd >= 0)
        ::close(fd);
    return ok;
}

} // namespace

ServeProcess::ServeProcess(QString binary, QString workDir)
    : m_binary(std::move(binary)), m_workDir(std::move(workDir))
{
}

ServeProcess::~ServeProcess()
{
    stop();
}

QString ServeProcess::logFile() const
{
    return QDir(m_workDir).filePath(QStringLiteral("serve.log"));
}

bool ServeProcess::start(const QString &databasePath, const QByteArray &appSecret, bool processing,
                         QString *error)
{
    m_port = freePort();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LEADKEEPER_CONFIG"));
    // No settings file of the user's may leak in: point the config location at an empty folder.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(m_workDir).filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("LEADKEEPER_DB"), databasePath);
    env.insert(QStringLiteral("LEADKEEPER_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(m_port));
    env.insert(QStringLiteral("LEADKEEPER_APP_SECRET"), QString::fromUtf8(appSecret));
    env.insert(QStringLiteral("LEADKEEPER_VERIFY_TOKEN"), QStringLiteral("bench-verify-token"));
    m_process.setProcessEnvironment(env);
    m_process.setProgram(m_binary);
    QStringList arguments{QStringLiteral("serve")};
    if (!processing)
        arguments << QStringLiteral("--no-processing");
    m_process.setArguments(arguments);
    m_process.setStandardOutputFile(logFile());
    m_process.setStandardErrorFile(logFile(), QIODevice::Append);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_binary, m_process.errorString());
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 15000) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("%1 serve exited at start; see %2").arg(m_binary, logFile());
            return false;
        }
        if (accepts(m_port))
            return true;
        QThread::msleep(20);
    }
    *error = QStringLiteral("%1 serve does not listen on port %2 after 15 s; see %3")
                 .arg(m_binary)
                 .arg(m_port)
                 .arg(logFile());
    stop();
    return false;
}

void ServeProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace leadkeeper::bench
