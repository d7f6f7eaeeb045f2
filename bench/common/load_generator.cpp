#include "load_generator.h"

#include "request_pool.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

namespace leadkeeper::bench {

namespace {

constexpr std::uint32_t kTimerTag = 0xFFFFFFFFu;

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

double threadCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Connection
{
    int fd = -1;
    bool connected = false;
    bool busy = false;
    bool wantWrite = false;
    std::string_view request;
    std::size_t sent = 0;
    qint64 startNs = 0;
    std::string in;
};

/// Length of the first complete response in `in` (0: not complete yet, -1: not HTTP).
qsizetype completeResponse(const std::string &in, int *status, bool *closes)
{
    const std::size_t headerEnd = in.find("\r\n\r\n");
    if (headerEnd == std::string::npos)
        return 0;
    if (in.compare(0, 5, "HTTP/") != 0 || headerEnd < 12)
        return -1;
    *status = std::atoi(in.data() + 9);
    *closes = false;
    qsizetype length = 0;
    std::size_t line = in.find("\r\n") + 2;
    while (line < headerEnd) {
        const std::size_t eol = in.find("\r\n", line);
        const std::string_view h(in.data() + line, eol - line);
        const std::size_t colon = h.find(':');
        if (colon != std::string_view::npos) {
            const std::string_view name = h.substr(0, colon);
            std::string_view value = h.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            if (name.size() == 14 && strncasecmp(name.data(), "content-length", 14) == 0)
                length = std::atoll(std::string(value).c_str());
            else if (name.size() == 10 && strncasecmp(name.data(), "connection", 10) == 0
                     && value.size() >= 5 && strncasecmp(value.data(), "close", 5) == 0)
                *closes = true;
        }
        line = eol + 2;
    }
    const qsizetype total = qsizetype(headerEnd) + 4 + length;
    return qsizetype(in.size()) >= total ? total : 0;
}

class Run
{
public:
    Run(RequestPool &pool, const LoadSpec &spec) : m_pool(pool), m_spec(spec), m_conns(spec.connections) {}

    ~Run()
    {
        for (Connection &c : m_conns) {
            if (c.fd >= 0)
                ::close(c.fd);
        }
        if (m_timer >= 0)
            ::close(m_timer);
        if (m_epoll >= 0)
            ::close(m_epoll);
    }

    LoadResult go()
    {
        const double cpuBefore = threadCpuSeconds();
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            return fail("epoll_create1");
        m_start = nowNs();
        m_windowStart = m_start + qint64(m_spec.warmupSeconds * 1e9);
        m_end = m_windowStart + qint64(m_spec.seconds * 1e9);
        for (std::size_t i = 0; i < m_conns.size(); ++i) {
            if (!open(i))
                return fail("connect");
        }
        if (m_spec.rate > 0 && !startTimer())
            return fail("timerfd");

        epoll_event events[256];
        const qint64 drainUntil = m_end + 5'000'000'000LL;
        for (;;) {
            const qint64 now = nowNs();
            if (now >= m_end && !m_stopped)
                stopSending();
            if (m_stopped && (busyCount() == 0 || now >= drainUntil))
                break;
            const qint64 wake = m_stopped ? drainUntil : m_end;
            const int timeoutMs = int(qMax<qint64>(1, (wake - now) / 1'000'000 + 1));
            const int n = epoll_wait(m_epoll, events, 256, timeoutMs);
            if (n < 0 && errno != EINTR)
                return fail("epoll_wait");
            for (int e = 0; e < n; ++e) {
                if (events[e].data.u32 == kTimerTag)
                    onTimer();
                else
                    onEvent(events[e].data.u32, events[e].events);
            }
        }
        m_result.seconds = m_spec.seconds;
        m_result.missedSends += qint64(m_due.size());
        m_result.generatorCpuSeconds = threadCpuSeconds() - cpuBefore;
        return std::move(m_result);
    }

private:
    LoadResult fail(const char *what)
    {
        m_result.error = QStringLiteral("%1 failed: %2").arg(QLatin1String(what),
                                                              QString::fromLocal8Bit(strerror(errno)));
        return std::move(m_result);
    }

    bool open(std::size_t i)
    {
        Connection &c = m_conns[i];
        c = Connection();
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c.fd < 0)
            return false;
        const int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(m_spec.port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0
            && errno != EINPROGRESS)
            return false;
        c.wantWrite = true;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        ev.data.u32 = std::uint32_t(i);
        return epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev) == 0;
    }

    void watchWrites(std::size_t i, bool on)
    {
        Connection &c = m_conns[i];
        if (c.wantWrite == on)
            return;
        c.wantWrite = on;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
        ev.data.u32 = std::uint32_t(i);
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
    }

    bool startTimer()
    {
        m_timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (m_timer < 0)
            return false;
        m_periodNs = qint64(1e9 / m_spec.rate);
        m_firstDue = m_start + m_periodNs;
        itimerspec spec{};
        spec.it_value.tv_sec = m_firstDue / 1000000000LL;
        spec.it_value.tv_nsec = m_firstDue % 1000000000LL;
        spec.it_interval.tv_sec = m_periodNs / 1000000000LL;
        spec.it_interval.tv_nsec = m_periodNs % 1000000000LL;
        if (timerfd_settime(m_timer, TFD_TIMER_ABSTIME, &spec, nullptr) < 0)
            return false;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = kTimerTag;
        return epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_timer, &ev) == 0;
    }

    void stopSending()
    {
        m_stopped = true;
        if (m_timer >= 0) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, m_timer, nullptr);
            ::close(m_timer);
            m_timer = -1;
        }
    }

    int busyCount() const
    {
        int n = 0;
        for (const Connection &c : m_conns)
            n += c.busy ? 1 : 0;
        return n;
    }

    void onTimer()
    {
        std::uint64_t expirations = 0;
        if (::read(m_timer, &expirations, sizeof expirations) != sizeof expirations)
            return;
        for (std::uint64_t k = 0; k < expirations; ++k)
            m_due.push_back(m_firstDue + qint64(m_ticks++) * m_periodNs);
        m_result.maxQueued = qMax<qint64>(m_result.maxQueued, qint64(m_due.size()));
        for (std::size_t i = 0; i < m_conns.size() && !m_due.empty(); ++i) {
            if (m_conns[i].connected && !m_conns[i].busy)
                sendNext(i);
        }
    }

    /// Puts the next request on an idle connection, if there is one to send.
    void sendNext(std::size_t i)
    {
        if (m_stopped)
            return;
        Connection &c = m_conns[i];
        if (m_spec.rate > 0) {
            if (m_due.empty())
                return;
            c.startNs = m_due.front();
            m_due.pop_front();
        } else {
            c.startNs = nowNs();
        }
        c.request = m_pool.next();
        c.sent = 0;
        c.busy = true;
        flush(i);
    }

    void flush(std::size_t i)
    {
        Connection &c = m_conns[i];
        while (c.sent < c.request.size()) {
            const ssize_t n = ::send(c.fd, c.request.data() + c.sent, c.request.size() - c.sent,
                                     MSG_NOSIGNAL);
            if (n > 0) {
                c.sent += std::size_t(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                watchWrites(i, true);
                return;
            }
            if (n < 0 && errno == EINTR)
                continue;
            return broken(i);
        }
        watchWrites(i, false);
    }

    void onEvent(std::size_t i, std::uint32_t events)
    {
        Connection &c = m_conns[i];
        if (!c.connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0)
                return broken(i);
            c.connected = true;
            watchWrites(i, false);
            sendNext(i); // at a fixed rate: only if a request is due
            return;
        }
        if (events & EPOLLOUT)
            flush(i);
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            receive(i);
    }

    void receive(std::size_t i)
    {
        Connection &c = m_conns[i];
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                c.in.append(buffer, std::size_t(n));
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            // What arrived before the close still counts.
            if (consume(i))
                broken(i);
            return;
        }
        consume(i);
    }

    /// Handles every complete response; false when the connection was dropped meanwhile.
    bool consume(std::size_t i)
    {
        Connection &c = m_conns[i];
        for (;;) {
            int status = 0;
            bool closes = false;
            const qsizetype length = completeResponse(c.in, &status, &closes);
            if (length < 0) {
                broken(i);
                return false;
            }
            if (length == 0)
                return true;
            const qint64 done = nowNs();
            c.in.erase(0, std::size_t(length));
            if (!c.busy)
                continue; // an unsolicited response (e.g. a 408): ignore
            c.busy = false;
            ++m_result.responses;
            if (status == 200) {
                ++m_result.okAll;
                if (m_spec.progress)
                    m_spec.progress->fetch_add(1, std::memory_order_relaxed);
                if (done >= m_windowStart && done <= m_end) {
                    ++m_result.ok;
                    m_result.latencyNs.push_back(done - c.startNs);
                    m_result.doneAtNs.push_back(done - m_windowStart);
                }
            } else {
                if (m_result.non200++ == 0)
                    m_result.firstNon200 = status;
            }
            if (closes) {
                broken(i);
                return false;
            }
            sendNext(i);
        }
    }

    /// The connection is gone: count it, and open a new one while the run goes on.
    void broken(std::size_t i)
    {
        Connection &c = m_conns[i];
        ++m_result.connectionErrors;
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
        c.busy = false;
        if (!m_stopped && !open(i))
            c.fd = -1;
    }

    RequestPool &m_pool;
    LoadSpec m_spec;
    std::vector<Connection> m_conns;
    LoadResult m_result;
    int m_epoll = -1;
    int m_timer = -1;
    qint64 m_start = 0;
    qint64 m_windowStart = 0;
    qint64 m_end = 0;
    qint64 m_periodNs = 0;
    qint64 m_firstDue = 0;
    std::uint64_t m_ticks = 0;
    std::deque<qint64> m_due;
    bool m_stopped = false;
};

} // namespace

LoadResult LoadGenerator::run(RequestPool &pool, const LoadSpec &spec)
{
    Run run(pool, spec);
    return run.go();
}

} // namespace leadkeeper::bench
