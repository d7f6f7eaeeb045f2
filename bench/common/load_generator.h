#pragma once

#include <QString>

#include <atomic>
#include <vector>

namespace leadkeeper::bench {

class RequestPool;

/// One measurement: where to send, how many connections, closed loop or fixed rate, how long.
struct LoadSpec
{
    quint16 port = 0;
    int connections = 1;
    double warmupSeconds = 0.5; ///< run, then forgotten
    double seconds = 4.0;       ///< measured window
    double rate = 0;            ///< requests per second; 0 = closed loop (saturate)
    std::atomic<qint64> *progress = nullptr; ///< if set, counts every 200 as it arrives
};

/// What came back during the measured window (and, for errors, during the whole run).
struct LoadResult
{
    double seconds = 0;
    qint64 ok = 0;                  ///< 200s completed in the window
    qint64 okAll = 0;               ///< 200s of the whole run (warm-up and drain included)
    qint64 responses = 0;           ///< responses of the whole run, any status
    qint64 non200 = 0;              ///< other statuses, whole run
    int firstNon200 = 0;            ///< the first such status, to say what went wrong
    qint64 connectionErrors = 0;    ///< closed or failed connections, whole run
    qint64 missedSends = 0;         ///< rate mode: due requests still queued when the run ended
    qint64 maxQueued = 0;           ///< rate mode: most requests waiting for a free connection
    std::vector<qint64> latencyNs;  ///< of the 200s in the window
    std::vector<qint64> doneAtNs;   ///< when each of them completed, from the window's start
    double generatorCpuSeconds = 0; ///< CPU time of the generator's thread
    QString error;                  ///< set when the run could not happen at all
};

/**
 * A loopback HTTP/1.1 load generator on plain POSIX sockets and one epoll loop: K keep-alive
 * connections, each with at most one request in flight (Meta's delivery agent does not pipeline).
 *
 * Closed loop (rate = 0): each connection sends its next request as soon as the previous response
 * is complete; latency runs from the write to the last byte of the response.
 * Fixed rate: a timerfd releases requests at the rate; a due request goes out on any idle
 * connection, or waits for one. Latency runs from when the request was due, so a server that falls
 * behind shows it (no coordinated omission).
 *
 * Blocking; call it from a thread of its own, never from the server's. Requests come from `pool`,
 * which nobody else may touch meanwhile.
 */
class LoadGenerator
{
public:
    static LoadResult run(RequestPool &pool, const LoadSpec &spec);
};

} // namespace leadkeeper::bench
