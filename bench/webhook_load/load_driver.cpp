#include "load_driver.h"

#include "process_stats.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <pthread.h>
#include <sys/resource.h>

#include <thread>

namespace leadkeeper::bench {

namespace {

qint64 selfCpuNs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (qint64(u.ru_utime.tv_sec) + u.ru_stime.tv_sec) * 1000000000LL
           + (qint64(u.ru_utime.tv_usec) + u.ru_stime.tv_usec) * 1000LL;
}

struct Snapshot
{
    qint64 machineBusyNs = 0;
    qint64 selfNs = 0;
    qint64 childNs = 0; ///< all threads of the server process, when it is a child
    qint64 machineDiskBytes = 0;
    qint64 ourDiskBytes = 0;
    process_stats::ThreadTimes serverThread;

    static Snapshot take(const ServerUnderLoad &server)
    {
        Snapshot s;
        s.machineBusyNs = process_stats::machineBusyNs();
        s.selfNs = selfCpuNs();
        if (server.pid != 0)
            s.childNs = process_stats::threadTimes(server.pid, {}).onCpuNs;
        s.serverThread = process_stats::threadTimes(server.pid, server.threadPrefix);
        s.machineDiskBytes = process_stats::machineDiskWriteBytes();
        s.ourDiskBytes = process_stats::diskWriteBytes(0)
                         + (server.pid != 0 ? process_stats::diskWriteBytes(server.pid) : 0);
        return s;
    }
};

} // namespace

StepFigures drive(RequestPool &pool, const ServerUnderLoad &server, LoadSpec spec,
                  const std::function<void()> &tick, double tickSeconds)
{
    spec.port = server.port;
    StepFigures f;
    QEventLoop loop;
    QTimer ticker;
    if (tick && tickSeconds > 0) {
        QObject::connect(&ticker, &QTimer::timeout, &loop, tick);
        ticker.start(int(tickSeconds * 1000));
    }
    const Snapshot before = Snapshot::take(server);
    QElapsedTimer wall;
    wall.start();
    std::thread generator([&] {
        pthread_setname_np(pthread_self(), "load-generator");
        f.result = LoadGenerator::run(pool, spec);
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    loop.exec();
    generator.join();
    ticker.stop();
    const double wallNs = double(wall.nsecsElapsed());
    const Snapshot after = Snapshot::take(server);

    StepUsage &u = f.usage;
    auto pct = [wallNs](double ns) { return 100.0 * ns / wallNs; };
    u.wallSeconds = wallNs / 1e9;
    const double serverCpu = double(after.serverThread.onCpuNs - before.serverThread.onCpuNs);
    u.serverThreadCpu = pct(serverCpu);
    u.serverThreadWait = pct(double(after.serverThread.waitNs - before.serverThread.waitNs));
    u.serverUsPerResponse = f.result.responses ? serverCpu / 1000.0 / double(f.result.responses) : 0;
    const double generatorNs = f.result.generatorCpuSeconds * 1e9;
    u.generatorCpu = pct(generatorNs);
    const double oursNs = double(after.selfNs - before.selfNs) + double(after.childNs - before.childNs);
    u.restOfUsCpu = pct(oursNs - generatorNs - serverCpu);
    u.othersCpu = qMax(0.0, pct(double(after.machineBusyNs - before.machineBusyNs) - oursNs));
    const qint64 othersDisk = (after.machineDiskBytes - before.machineDiskBytes)
                              - (after.ourDiskBytes - before.ourDiskBytes);
    u.othersDiskMB = qMax<double>(0, double(othersDisk) / 1e6);
    return f;
}

} // namespace leadkeeper::bench
