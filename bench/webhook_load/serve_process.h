#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>

namespace leadkeeper::bench {

/**
 * A `leadkeeper serve` child process on 127.0.0.1 and a free port, with its own database, settings
 * from LEADKEEPER_* variables only (no settings file), and its log in a file. Lets the soak watch
 * the production process's memory alone, without the generator's.
 */
class ServeProcess
{
public:
    ServeProcess(QString binary, QString workDir);
    ~ServeProcess();

    /// Starts and waits until it accepts connections; on failure *error says why.
    /// `processing` false adds --no-processing (the listener alone).
    bool start(const QString &databasePath, const QByteArray &appSecret, bool processing,
               QString *error);
    /// SIGTERM, then waits for the exit.
    void stop();

    qint64 pid() const { return m_process.processId(); }
    quint16 port() const { return m_port; }
    QString logFile() const;

private:
    QString m_binary;
    QString m_workDir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace leadkeeper::bench
