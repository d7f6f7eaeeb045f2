#pragma once

#include <QList>
#include <QString>

namespace leadkeeper::bench {

/// The command line of reprocess_load (see README.md), with the defaults of the target.
struct ReprocessOptions
{
    int leads = 10000;
    int delayMs = 20;
    QList<int> concurrency = {4, 8, 16, 32};
    /// Runs at these concurrencies also play Meta against the listener (default: the engine's
    /// default setting only). Empty = never.
    QList<int> probeAt = {16};
    int probeRate = 200;
    int probeConnections = 4;
    int baselineSeconds = 10;
    int graphThreads = 64;
    int stageLeads = 300; ///< 0 = skip "where the time goes"
    int repeat = 1;
    QString workDir;

    /// Parses argv; false with *error (or help printed, *error empty) when the program should stop.
    static bool parse(const QStringList &arguments, ReprocessOptions *options, QString *error);
};

} // namespace leadkeeper::bench
