#pragma once

#include <QList>
#include <QString>

namespace leadkeeper::bench {

class ReprocessBed;

/**
 * Where the time of one reprocessed lead goes, stage by stage, measured alone on one thread (no
 * concurrency, no lock waits) with the fake Graph answering at once: the same calls LeadProcessor
 * makes, in its order, each timed over `leads` seeded entries, plus the whole
 * LeadProcessor::process for comparison. The store write is measured at synchronous=FULL
 * (production) and NORMAL, so the difference is the cost of the fsyncs. Runs on the calling thread;
 * leaves the bed dirty (call resetForRun() afterwards) and with the fake Graph at 0 ms (restore its
 * delay).
 */
class StageCosts
{
public:
    struct Stage
    {
        QString name;
        double wallUsPerLead = 0;
        double cpuUsPerLead = 0; ///< this thread's CPU only (the fake Graph's is reported apart)
        QString note;
    };

    static QList<Stage> measure(ReprocessBed &bed, int leads, QString *error);
};

} // namespace leadkeeper::bench
