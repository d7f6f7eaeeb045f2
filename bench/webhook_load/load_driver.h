#pragma once

#include "load_generator.h"

#include <QString>

#include <functional>

namespace leadkeeper::bench {

class RequestPool;

/// Where the server under load runs: this process (pid 0) or a child, and its serving thread.
struct ServerUnderLoad
{
    QString label;
    quint16 port = 0;
    qint64 pid = 0;       ///< 0 = this process
    QString threadPrefix; ///< name of the thread that runs its QHttpServer
};

/// CPU accounting of one step, in % of one core over the step's wall time.
struct StepUsage
{
    double wallSeconds = 0;
    double serverThreadCpu = 0;  ///< the server's HTTP thread on a core
    double serverThreadWait = 0; ///< that thread runnable but waiting for a core
    double serverUsPerResponse = 0;
    double generatorCpu = 0;
    double restOfUsCpu = 0; ///< everything else of ours: main threads, SQLite, the kernel for us
    double othersCpu = 0;   ///< processes that are not ours (other helpers' compilers...)
    double othersDiskMB = 0; ///< what they wrote to disk meanwhile (it slows our fsyncs down)
};

/// One step's figures.
struct StepFigures
{
    LoadResult result;
    StepUsage usage;
};

/**
 * Runs the load generator on a thread of its own while this (the main) thread keeps its event loop
 * turning, as `leadkeeper serve` does: the in-process listener's queued signals are delivered
 * meanwhile instead of piling up. `tick` is called on the main thread every `tickSeconds`.
 * Measures the CPU use of the server's thread, the generator and the rest of the machine.
 */
StepFigures drive(RequestPool &pool, const ServerUnderLoad &server, LoadSpec spec,
                  const std::function<void()> &tick = {}, double tickSeconds = 0);

} // namespace leadkeeper::bench
