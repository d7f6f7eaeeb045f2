#pragma once

// Runs the real `leadkeeper` executable (LEADKEEPER_BINARY) as a subprocess, in a clean
// environment: no LEADKEEPER_* variable of the machine leaks in, and the default settings and data
// folders point into a temporary folder. Shared by tst_cli and tst_crash_recovery.

#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <csignal>
#include <optional>

namespace leadkeeper::test {

struct CliResult
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

inline QString leadkeeperBinary()
{
    return qEnvironmentVariable("LEADKEEPER_BINARY");
}

/// The system environment without LEADKEEPER_*, with XDG folders and HOME under `home`.
inline QProcessEnvironment cleanEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &k : keys) {
        if (k.startsWith(QLatin1String("LEADKEEPER_")))
            env.remove(k);
    }
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.remove(QStringLiteral("QT_MESSAGE_PATTERN"));
    return env;
}

/// Runs `leadkeeper arguments...` to the end.
inline CliResult runLeadkeeper(const QStringList &arguments, const QProcessEnvironment &env,
                               int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(leadkeeperBinary(), arguments);
    CliResult r;
    if (!p.waitForStarted(timeoutMs))
        return r;
    p.closeWriteChannel();
    r.finished = p.waitForFinished(timeoutMs) && p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/// A running `leadkeeper serve`; the address it reports on stderr ("listening on HOST:PORT").
class ServeProcess
{
public:
    ServeProcess() { m_process.setProcessChannelMode(QProcess::SeparateChannels); }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(30000);
        }
    }

    /// Starts and waits until it listens (true) or exits / times out (false; see stderrText()).
    bool start(const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs = 60000)
    {
        m_process.setProcessEnvironment(env);
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.setReadChannel(QProcess::StandardError);
        m_process.start(leadkeeperBinary(), QStringList{QStringLiteral("serve")} + arguments);
        if (!m_process.waitForStarted(timeoutMs))
            return false;
        static const QRegularExpression listening(
            QStringLiteral(R"(listening on (?:http://)?(\[[^\]]+\]|[0-9.]+):(\d+))"));
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            const QRegularExpressionMatch m = listening.match(stderrText());
            if (m.hasMatch()) {
                m_host = m.captured(1).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
                m_port = quint16(m.captured(2).toUInt());
                return m_port != 0;
            }
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(200);
        }
        return false;
    }

    /// Everything written to stderr so far.
    QString stderrText()
    {
        m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr);
    }

    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    bool sendSignal(int signalNumber) const
    {
        return pid() > 0 && ::kill(pid_t(pid()), signalNumber) == 0;
    }
    /// Waits for the exit; the exit code, or nullopt if it did not exit normally in time.
    std::optional<int> waitForExit(int timeoutMs = 60000)
    {
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs))
            return std::nullopt;
        stderrText();
        if (m_process.exitStatus() != QProcess::NormalExit)
            return std::nullopt;
        return m_process.exitCode();
    }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }

private:
    QProcess m_process;
    QByteArray m_stderr;
    QString m_host;
    quint16 m_port = 0;
};

} // namespace leadkeeper::test
