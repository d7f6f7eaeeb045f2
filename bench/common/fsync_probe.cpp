#include "fsync_probe.h"

#include "latency_summary.h"

#include <QDir>
#include <QElapsedTimer>

#include <fcntl.h>
#include <unistd.h>

#include <vector>

namespace leadkeeper::bench {

FsyncProbe FsyncProbe::measure(const QString &directory, int count)
{
    FsyncProbe f;
    const QByteArray path =
        QDir(directory).filePath(QStringLiteral("fsync-probe.tmp")).toLocal8Bit();
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return f;
    const QByteArray block(4096, 'x');
    std::vector<qint64> micros;
    micros.reserve(size_t(count));
    QElapsedTimer t;
    for (int i = 0; i < count; ++i) {
        if (::write(fd, block.constData(), size_t(block.size())) != block.size())
            break;
        t.start();
        if (::fsync(fd) != 0)
            break;
        micros.push_back(t.nsecsElapsed() / 1000);
    }
    ::close(fd);
    ::unlink(path.constData());
    const LatencySummary s = LatencySummary::of(micros, 1000.0);
    if (s.count > 0) {
        f.p50Ms = s.p50Ms;
        f.p99Ms = s.p99Ms;
        f.maxMs = s.maxMs;
    }
    return f;
}

QString FsyncProbe::describe() const
{
    if (p50Ms < 0)
        return QStringLiteral("fsync: not measured");
    return QStringLiteral("fsync p50 %1 ms, p99 %2 ms, max %3 ms")
        .arg(p50Ms, 0, 'f', 3)
        .arg(p99Ms, 0, 'f', 3)
        .arg(maxMs, 0, 'f', 3);
}

} // namespace leadkeeper::bench
