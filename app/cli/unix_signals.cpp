#include "unix_signals.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace leadkeeper {

int UnixSignals::s_fds[2] = {-1, -1};

UnixSignals::UnixSignals(QObject *parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        unsigned char n = 0;
        if (::read(s_fds[1], &n, 1) == 1)
            Q_EMIT terminationRequested(n);
    });
    struct sigaction sa = {};
    sa.sa_handler = &UnixSignals::handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

UnixSignals::~UnixSignals()
{
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    for (int &fd : s_fds) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

void UnixSignals::handler(int signalNumber)
{
    const int savedErrno = errno; // the interrupted code may be about to read it
    const unsigned char n = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const auto written = ::write(s_fds[0], &n, 1);
    errno = savedErrno;
}

} // namespace leadkeeper
