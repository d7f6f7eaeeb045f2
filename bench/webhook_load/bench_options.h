#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace leadkeeper::bench {

/// What one run of webhook_load measures, from its command line (see bench/README.md).
struct BenchOptions
{
    enum class Target { InProcess, Serve };

    bool runMicro = true;    ///< per-request costs of the handler's steps in a tight loop
    bool runSaturate = true; ///< closed loop at K connections, listener and ceiling
    bool runRate = true;     ///< fixed arrival rate
    bool runSoak = true;     ///< long saturation run, memory sampled

    Target target = Target::InProcess;     ///< where the listener of saturate/rate runs
    Target soakTarget = Target::Serve;     ///< where the listener of the soak runs
    QList<int> connections = {1, 4, 16, 64};
    double seconds = 4.0;        ///< measured seconds of each saturate step
    double warmupSeconds = 0.5;  ///< run before each step, not counted
    double rate = 200.0;         ///< webhooks per second in rate mode
    double rateSeconds = 10.0;
    int rateConnections = 4;
    double soakSeconds = 40.0;
    int soakConnections = 16;
    double sampleSeconds = 5.0; ///< RSS sampling period of the soak
    bool ceiling = true;        ///< also measure the empty-handler QHttpServers
    int listenerThreads = 0;    ///< > 0: listener/threads of the listener under test (else its default)
    int groupCommitThreads = 0; ///< > 0: also measure the group-commit what-if with that many handlers
    int microIterations = 2000; ///< SQLite commits per micro measure (x20 for HMAC and parse)
    QString serveBinary;
    bool serveProcessing = true; ///< serve runs its processing workers too, as in production
    QString workDir; ///< where the temporary databases go (default: a fresh temporary folder)
    QString dumpFile; ///< if set, every 200's completion time and latency go there (CSV)

    static QString usage();
    /// Parses argv; on a usage error returns nothing and sets *error. *help is set for --help.
    static std::optional<BenchOptions> parse(const QStringList &arguments, bool *help,
                                             QString *error);
};

} // namespace leadkeeper::bench
