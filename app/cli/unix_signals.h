#pragma once

#include <QObject>

class QSocketNotifier;

namespace leadkeeper {

/**
 * Turns SIGINT and SIGTERM into a Qt signal delivered in the event loop (self-pipe), so the server
 * can finish the request in hand and exit cleanly. One instance per process.
 */
class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void handler(int signalNumber);
    static int s_fds[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace leadkeeper
