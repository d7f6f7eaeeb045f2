#include "bench_options.h"

#include <QFileInfo>

namespace leadkeeper::bench {

namespace {

bool parsePositive(const QString &text, double *out)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || v <= 0)
        return false;
    *out = v;
    return true;
}

bool parseCount(const QString &text, int *out)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v <= 0)
        return false;
    *out = v;
    return true;
}

std::optional<BenchOptions::Target> parseTarget(const QString &text)
{
    if (text == QLatin1String("inproc"))
        return BenchOptions::Target::InProcess;
    if (text == QLatin1String("serve"))
        return BenchOptions::Target::Serve;
    return std::nullopt;
}

} // namespace

QString BenchOptions::usage()
{
    return QStringLiteral(
        "Usage: webhook_load [options]\n"
        "Loopback load test of the webhook listener (figures, not a test). Defaults take ~2 min.\n\n"
        "  --mode LIST           comma list of micro,saturate,rate,soak, or all (default all)\n"
        "  --connections LIST    saturate: connections K, comma list (default 1,4,16,64)\n"
        "  --duration S          saturate: measured seconds per K (default 4)\n"
        "  --warmup S            unmeasured seconds before each step (default 0.5)\n"
        "  --rate N              rate: webhooks per second (default 200)\n"
        "  --rate-duration S     rate: seconds (default 10)\n"
        "  --rate-connections K  rate: keep-alive connections to spread over (default 4)\n"
        "  --soak S              soak: seconds at saturation, RSS sampled (default 40)\n"
        "  --soak-connections K  soak: connections (default 16)\n"
        "  --sample S            soak: RSS sampling period (default 5)\n"
        "  --target T            saturate/rate listener: inproc (ListenerThread in this process,\n"
        "                        default) or serve (spawned `leadkeeper serve`)\n"
        "  --soak-target T       soak listener: serve (default) or inproc\n"
        "  --serve-binary PATH   leadkeeper binary (default: the one of this build)\n"
        "  --serve-no-processing run `serve --no-processing` (listener only; by default serve also\n"
        "                        runs its processing workers on the stored leads, as in production)\n"
        "  --listener-threads N  listener/threads of the listener under test (default: the setting's\n"
        "                        default; serve target: set LEADKEEPER_LISTENER_THREADS instead)\n"
        "  --no-ceiling          skip the empty-handler QHttpServer runs\n"
        "  --what-if-group-commit N  saturate: also measure a bench-only prototype of the listener\n"
        "                        with N handler threads and one group-committing writer\n"
        "  --micro-iterations N  SQLite commits per micro measure (default 2000)\n"
        "  --work-dir DIR        where the temporary databases go (default: a temporary folder;\n"
        "                        its filesystem decides the fsync cost)\n"
        "  --dump FILE           write every 200 as CSV: step,server,K,done_ms,latency_ms (to see\n"
        "                        when slow answers happen, e.g. with checkpoints)\n"
        "  --help                this text\n");
}

std::optional<BenchOptions> BenchOptions::parse(const QStringList &arguments, bool *help,
                                                QString *error)
{
    BenchOptions o;
    o.serveBinary = QStringLiteral(LEADKEEPER_SERVE_BINARY);
    *help = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString flag = arguments.at(i);
        if (flag == QLatin1String("--help") || flag == QLatin1String("-h")) {
            *help = true;
            return o;
        }
        if (flag == QLatin1String("--no-ceiling")) {
            o.ceiling = false;
            continue;
        }
        if (flag == QLatin1String("--serve-no-processing")) {
            o.serveProcessing = false;
            continue;
        }
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value (or is unknown); see --help.").arg(flag);
            return std::nullopt;
        }
        const QString value = arguments.at(++i);
        bool ok = true;
        if (flag == QLatin1String("--mode")) {
            const QStringList modes = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
            const bool all = modes.contains(QLatin1String("all"));
            o.runMicro = all || modes.contains(QLatin1String("micro"));
            o.runSaturate = all || modes.contains(QLatin1String("saturate"));
            o.runRate = all || modes.contains(QLatin1String("rate"));
            o.runSoak = all || modes.contains(QLatin1String("soak"));
            for (const QString &m : modes) {
                if (!QStringList{QStringLiteral("all"), QStringLiteral("micro"),
                                 QStringLiteral("saturate"), QStringLiteral("rate"),
                                 QStringLiteral("soak")}
                         .contains(m))
                    ok = false;
            }
        } else if (flag == QLatin1String("--connections")) {
            o.connections.clear();
            for (const QString &k : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                int n = 0;
                ok = ok && parseCount(k, &n);
                o.connections << n;
            }
            ok = ok && !o.connections.isEmpty();
        } else if (flag == QLatin1String("--duration")) {
            ok = parsePositive(value, &o.seconds);
        } else if (flag == QLatin1String("--warmup")) {
            bool isNumber = false;
            o.warmupSeconds = value.toDouble(&isNumber);
            ok = isNumber && o.warmupSeconds >= 0;
        } else if (flag == QLatin1String("--rate")) {
            ok = parsePositive(value, &o.rate);
        } else if (flag == QLatin1String("--rate-duration")) {
            ok = parsePositive(value, &o.rateSeconds);
        } else if (flag == QLatin1String("--rate-connections")) {
            ok = parseCount(value, &o.rateConnections);
        } else if (flag == QLatin1String("--listener-threads")) {
            ok = parseCount(value, &o.listenerThreads);
        } else if (flag == QLatin1String("--soak")) {
            ok = parsePositive(value, &o.soakSeconds);
        } else if (flag == QLatin1String("--soak-connections")) {
            ok = parseCount(value, &o.soakConnections);
        } else if (flag == QLatin1String("--sample")) {
            ok = parsePositive(value, &o.sampleSeconds);
        } else if (flag == QLatin1String("--target") || flag == QLatin1String("--soak-target")) {
            const auto t = parseTarget(value);
            ok = t.has_value();
            if (ok)
                (flag == QLatin1String("--target") ? o.target : o.soakTarget) = *t;
        } else if (flag == QLatin1String("--serve-binary")) {
            o.serveBinary = value;
        } else if (flag == QLatin1String("--what-if-group-commit")) {
            ok = parseCount(value, &o.groupCommitThreads);
        } else if (flag == QLatin1String("--micro-iterations")) {
            ok = parseCount(value, &o.microIterations);
        } else if (flag == QLatin1String("--work-dir")) {
            o.workDir = value;
        } else if (flag == QLatin1String("--dump")) {
            o.dumpFile = value;
        } else {
            *error = QStringLiteral("unknown option %1; see --help.").arg(flag);
            return std::nullopt;
        }
        if (!ok) {
            *error = QStringLiteral("%1 %2: not a valid value; see --help.").arg(flag, value);
            return std::nullopt;
        }
    }
    const bool needsServe = (o.target == Target::Serve && (o.runSaturate || o.runRate))
                            || (o.soakTarget == Target::Serve && o.runSoak);
    if (needsServe && !QFileInfo(o.serveBinary).isExecutable()) {
        *error = QStringLiteral("%1 is not an executable leadkeeper binary; build the leadkeeper "
                                "target, pass --serve-binary, or use --target/--soak-target inproc.")
                     .arg(o.serveBinary);
        return std::nullopt;
    }
    return o;
}

} // namespace leadkeeper::bench
