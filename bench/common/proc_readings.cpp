#include "proc_readings.h"

#include <QDir>
#include <QFile>
#include <QThread>

#include <unistd.h>

namespace leadkeeper::bench::proc_readings {

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

qint64 tickNs()
{
    static const qint64 ns = 1000000000LL / sysconf(_SC_CLK_TCK);
    return ns;
}

qint64 statusKiB(const QByteArray &key)
{
    const QByteArray text = readAll(QStringLiteral("/proc/self/status"));
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(key)) {
            // "VmRSS:	   12345 kB"
            const QList<QByteArray> parts = line.mid(key.size()).simplified().split(' ');
            return parts.isEmpty() ? -1 : parts.constFirst().toLongLong();
        }
    }
    return -1;
}

} // namespace

qint64 rssKiB()
{
    return statusKiB("VmRSS:");
}

qint64 peakRssKiB()
{
    return statusKiB("VmHWM:");
}

bool resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

ThreadTimes threadTimes(const QString &namePrefix)
{
    ThreadTimes t;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString base = tasks.filePath(tid);
        const QString name = QString::fromUtf8(readAll(base + QStringLiteral("/comm"))).trimmed();
        if (!name.startsWith(namePrefix))
            continue;
        // schedstat: on-CPU ns, run-queue wait ns, timeslices (finer than /stat's 10 ms ticks).
        const QList<QByteArray> s =
            readAll(base + QStringLiteral("/schedstat")).trimmed().split(' ');
        if (s.size() >= 2) {
            t.cpuNs += s.at(0).toLongLong();
            t.waitNs += s.at(1).toLongLong();
        } else {
            // /stat: fields after the ")" of comm; utime and stime are the 14th and 15th.
            const QByteArray stat = readAll(base + QStringLiteral("/stat"));
            const qsizetype close = stat.lastIndexOf(')');
            const QList<QByteArray> f =
                close < 0 ? QList<QByteArray>() : stat.mid(close + 2).split(' ');
            if (f.size() > 12)
                t.cpuNs += (f.at(11).toLongLong() + f.at(12).toLongLong()) * tickNs();
        }
        ++t.threads;
    }
    return t;
}

qint64 processCpuNs()
{
    const QByteArray stat = readAll(QStringLiteral("/proc/self/stat"));
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> f = close < 0 ? QList<QByteArray>() : stat.mid(close + 2).split(' ');
    if (f.size() <= 12)
        return -1;
    return (f.at(11).toLongLong() + f.at(12).toLongLong()) * tickNs();
}

qint64 machineBusyNs()
{
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
    const QByteArray text = readAll(QStringLiteral("/proc/stat"));
    const QList<QByteArray> f = text.left(text.indexOf('\n')).simplified().split(' ');
    if (f.size() < 9)
        return -1;
    qint64 busy = 0;
    for (int i : {1, 2, 3, 6, 7, 8})
        busy += f.at(i).toLongLong();
    return busy * tickNs();
}

QString loadAverage()
{
    const QList<QByteArray> parts = readAll(QStringLiteral("/proc/loadavg")).split(' ');
    if (parts.size() < 3)
        return QStringLiteral("?");
    return QString::fromLatin1(parts.at(0) + ' ' + parts.at(1) + ' ' + parts.at(2));
}

int cores()
{
    return QThread::idealThreadCount();
}

} // namespace leadkeeper::bench::proc_readings
