#include "timed_application.h"

#include <QFileInfo>
#include <QHash>
#include <QMetaEnum>
#include <QProcess>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cxxabi.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

namespace leadkeeper::bench {

namespace {

constexpr int kMaxSamples = 1024;
constexpr int kFrames = 64;
// Frames of the sampler itself at the top of every stack: the handler and the signal trampoline.
constexpr int kSamplerFrames = 2;

struct Sample
{
    quint64 seq;
    int depth;
    void *frames[kFrames];
};

// Written only by the signal handler on the GUI thread, read there after recording stopped.
Sample g_samples[kMaxSamples];
std::atomic<int> g_sampleCount{0};
std::atomic<quint64> *g_activeSeq = nullptr;
pthread_t g_guiThread;

void takeSample(int)
{
    const int saved = errno;
    const int i = g_sampleCount.fetch_add(1, std::memory_order_relaxed);
    if (i < kMaxSamples && g_activeSeq) {
        g_samples[i].seq = g_activeSeq->load(std::memory_order_relaxed);
        g_samples[i].depth = backtrace(g_samples[i].frames, kFrames);
    }
    errno = saved;
}

QString demangle(const char *name)
{
    int status = 0;
    char *plain = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    const QString text = QString::fromUtf8(status == 0 && plain ? plain : name);
    free(plain);
    return text;
}

} // namespace

qint64 monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

TimedApplication::TimedApplication(int &argc, char **argv) : QApplication(argc, argv)
{
    g_guiThread = pthread_self();
    g_activeSeq = &m_activeSeq;
    void *warm[4];
    backtrace(warm, 4); // loads libgcc's unwinder now, never inside the signal handler
    struct sigaction sa = {};
    sa.sa_handler = takeSample;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, nullptr);
    m_durations.reserve(4'000'000);
    m_watching = true;
    m_watchdog = std::thread([this] {
        pthread_setname_np(pthread_self(), "stall-watchdog");
        watch();
    });
}

TimedApplication::~TimedApplication()
{
    m_recording = false;
    m_watching = false;
    m_watchdog.join();
    signal(SIGPROF, SIG_IGN);
}

void TimedApplication::setSampling(int sampleAfterMs, int sampleEveryMs)
{
    m_sampleAfterMs = sampleAfterMs;
    m_sampleEveryMs = sampleEveryMs;
}

void TimedApplication::startRecording()
{
    m_durations.clear();
    m_long.clear();
    g_sampleCount = 0;
    m_recording = true;
}

void TimedApplication::stopRecording()
{
    m_recording = false;
}

bool TimedApplication::notify(QObject *receiver, QEvent *event)
{
    if (!pthread_equal(pthread_self(), g_guiThread))
        return QApplication::notify(receiver, event);
    if (m_depth > 0 || !m_recording) {
        ++m_depth;
        const bool handled = QApplication::notify(receiver, event);
        --m_depth;
        return handled;
    }
    Dispatch d;
    d.eventType = int(event->type());
    d.receiverClass = receiver->metaObject()->className();
    if (QObject *parent = receiver->parent())
        d.parentClass = parent->metaObject()->className();
    d.seq = ++m_seq;
    d.startNs = monotonicNs();
    m_activeSeq.store(d.seq, std::memory_order_relaxed);
    m_activeStartNs.store(d.startNs, std::memory_order_release);
    ++m_depth;
    const bool handled = QApplication::notify(receiver, event);
    --m_depth;
    m_activeStartNs.store(0, std::memory_order_release);
    d.durationNs = monotonicNs() - d.startNs;
    m_durations.push_back(d.durationNs);
    if (d.durationNs > 5'000'000)
        m_long.push_back(d);
    return handled;
}

void TimedApplication::watch()
{
    quint64 lastSeq = 0;
    qint64 lastAt = 0;
    while (m_watching) {
        usleep(2000);
        const qint64 start = m_activeStartNs.load(std::memory_order_acquire);
        if (!m_recording || start == 0)
            continue;
        const qint64 now = monotonicNs();
        const quint64 seq = m_activeSeq.load(std::memory_order_relaxed);
        if (now - start < qint64(m_sampleAfterMs) * 1'000'000)
            continue;
        if (seq == lastSeq && now - lastAt < qint64(m_sampleEveryMs) * 1'000'000)
            continue;
        if (g_sampleCount.load(std::memory_order_relaxed) >= kMaxSamples)
            continue;
        pthread_kill(g_guiThread, SIGPROF);
        lastSeq = seq;
        lastAt = now;
    }
}

std::vector<TimedApplication::Dispatch> TimedApplication::longest(double minMs, int limit) const
{
    std::vector<Dispatch> found;
    for (const Dispatch &d : m_long)
        if (d.durationNs >= minMs * 1e6)
            found.push_back(d);
    std::sort(found.begin(), found.end(),
              [](const Dispatch &a, const Dispatch &b) { return a.durationNs > b.durationNs; });
    if (int(found.size()) > limit)
        found.resize(size_t(limit));
    return found;
}

QList<QStringList> TimedApplication::stacksOf(quint64 seq) const
{
    // dladdr names what the dynamic symbol table exports (Qt, and this executable: it is linked
    // with -rdynamic); addr2line on the executable names the rest (anonymous namespaces, lambdas).
    QList<QStringList> stacks;
    const int count = qMin(g_sampleCount.load(), kMaxSamples);
    Dl_info self = {};
    dladdr(reinterpret_cast<void *>(&monotonicNs), &self);
    for (int i = 0; i < count; ++i) {
        const Sample &s = g_samples[i];
        if (s.seq != seq)
            continue;
        QStringList frames;
        QStringList exeOffsets;
        QList<int> exeRows;
        for (int f = kSamplerFrames; f < s.depth; ++f) {
            // A return address points after its call: look up the call itself.
            const auto pc = reinterpret_cast<quintptr>(s.frames[f]) - 1;
            Dl_info info = {};
            if (!dladdr(reinterpret_cast<void *>(pc), &info) || !info.dli_fname) {
                frames << QStringLiteral("0x%1").arg(pc, 0, 16);
                continue;
            }
            const QString module = QFileInfo(QString::fromLocal8Bit(info.dli_fname)).fileName();
            if (info.dli_fbase == self.dli_fbase) {
                exeRows << int(frames.size());
                exeOffsets << QStringLiteral("0x%1").arg(pc - quintptr(info.dli_fbase), 0, 16);
                frames << module;
            } else if (info.dli_sname) {
                frames << QStringLiteral("%1  [%2]").arg(demangle(info.dli_sname), module);
            } else {
                frames << QStringLiteral("%1+0x%2").arg(module).arg(
                    pc - quintptr(info.dli_fbase), 0, 16);
            }
        }
        if (!exeOffsets.isEmpty()) {
            QProcess addr2line;
            addr2line.start(QStringLiteral("addr2line"),
                            QStringList{QStringLiteral("-f"), QStringLiteral("-C"),
                                        QStringLiteral("-e"),
                                        QString::fromLocal8Bit(self.dli_fname)}
                                + exeOffsets);
            addr2line.waitForFinished(10000);
            const QStringList lines =
                QString::fromLocal8Bit(addr2line.readAllStandardOutput()).split(QLatin1Char('\n'));
            for (int k = 0; k < exeRows.size(); ++k) {
                const QString name = 2 * k < lines.size() ? lines.at(2 * k) : QString();
                frames[exeRows.at(k)] = QStringLiteral("%1  [%2 %3]")
                                            .arg(name, frames.at(exeRows.at(k)), exeOffsets.at(k));
            }
        }
        stacks << frames;
    }
    return stacks;
}

QString TimedApplication::eventName(int type)
{
    const char *name = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    return name ? QString::fromLatin1(name) : QString::number(type);
}

} // namespace leadkeeper::bench
