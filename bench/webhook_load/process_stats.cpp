#include "process_stats.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <unistd.h>

namespace leadkeeper::bench::process_stats {

namespace {

QString procDir(qint64 pid)
{
    return pid == 0 ? QStringLiteral("/proc/self") : QStringLiteral("/proc/%1").arg(pid);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

qint64 statusField(qint64 pid, const QByteArray &field)
{
    const QByteArray status = readAll(procDir(pid) + QStringLiteral("/status"));
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 ticksToNs(qint64 ticks)
{
    static const long hz = sysconf(_SC_CLK_TCK);
    return ticks * (1000000000LL / hz);
}

} // namespace

qint64 rssKiB(qint64 pid)
{
    return statusField(pid, "VmRSS");
}

qint64 peakRssKiB(qint64 pid)
{
    return statusField(pid, "VmHWM");
}

ThreadTimes threadTimes(qint64 pid, const QString &namePrefix)
{
    ThreadTimes t;
    const QDir tasks(procDir(pid) + QStringLiteral("/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString comm = QString::fromLocal8Bit(readAll(tasks.filePath(tid + QStringLiteral("/comm")))).trimmed();
        if (!namePrefix.isEmpty() && !comm.startsWith(namePrefix.left(15)))
            continue;
        const QList<QByteArray> fields =
            readAll(tasks.filePath(tid + QStringLiteral("/schedstat"))).trimmed().split(' ');
        if (fields.size() < 2)
            continue;
        t.onCpuNs += fields.at(0).toLongLong();
        t.waitNs += fields.at(1).toLongLong();
        t.found = true;
    }
    return t;
}

qint64 processCpuNs(qint64 pid)
{
    const QByteArray stat = readAll(procDir(pid) + QStringLiteral("/stat"));
    // The command name may hold spaces; fields are counted after its closing parenthesis.
    const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 13)
        return -1;
    return ticksToNs(f.at(11).toLongLong() + f.at(12).toLongLong()); // utime, stime
}

qint64 machineBusyNs()
{
    const QByteArray stat = readAll(QStringLiteral("/proc/stat"));
    const QList<QByteArray> f = stat.left(stat.indexOf('\n')).simplified().split(' ');
    // cpu user nice system idle iowait irq softirq steal ...
    if (f.size() < 9)
        return -1;
    qint64 busy = 0;
    for (int i : {1, 2, 3, 6, 7, 8})
        busy += f.at(i).toLongLong();
    return ticksToNs(busy);
}

qint64 diskWriteBytes(qint64 pid)
{
    const QByteArray io = readAll(procDir(pid) + QStringLiteral("/io"));
    for (const QByteArray &line : io.split('\n')) {
        if (line.startsWith("write_bytes:"))
            return line.mid(12).trimmed().toLongLong();
    }
    return 0;
}

qint64 machineDiskWriteBytes()
{
    static const QRegularExpression wholeDisk(QStringLiteral("^((s|v|xv|h)d[a-z]+|nvme\\d+n\\d+|mmcblk\\d+)$"));
    qint64 sectors = 0;
    for (const QByteArray &line : readAll(QStringLiteral("/proc/diskstats")).split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        // major minor name reads merged sectors ms writes merged sectors ...
        if (f.size() > 9 && wholeDisk.match(QString::fromLatin1(f.at(2))).hasMatch())
            sectors += f.at(9).toLongLong();
    }
    return sectors * 512;
}

QString loadAverage()
{
    const QList<QByteArray> f = readAll(QStringLiteral("/proc/loadavg")).split(' ');
    return QString::fromLatin1(f.mid(0, 3).join(' '));
}

int cores()
{
    return int(sysconf(_SC_NPROCESSORS_ONLN));
}

} // namespace leadkeeper::bench::process_stats
