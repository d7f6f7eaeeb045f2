#pragma once

#include "load_driver.h"

#include <QFile>
#include <QString>

namespace leadkeeper::bench {

/// printf to stdout, flushed at once (the figures appear as they are measured).
__attribute__((format(printf, 1, 2))) void say(const char *format, ...);

/**
 * Prints the rows of the step tables (the column header once per table), and writes every 200 of
 * every step to the --dump file, if one was asked for, as CSV: step,server,connections,done_ms,
 * latency_ms.
 */
class StepPrinter
{
public:
    explicit StepPrinter(const QString &dumpFile);

    static void header();
    /// Prints one row; returns the step's 200s per second.
    double print(const QString &label, int connections, StepFigures &figures);

private:
    QFile m_dump;
    int m_step = 0;
};

} // namespace leadkeeper::bench
