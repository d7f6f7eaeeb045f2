#include "reprocess_options.h"

#include <QCommandLineParser>

namespace leadkeeper::bench {

namespace {

bool parseList(const QString &text, QList<int> *out)
{
    out->clear();
    if (text == QLatin1String("none"))
        return true;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < 1 || v > 256)
            return false;
        *out << v;
    }
    return !out->isEmpty();
}

bool parseInt(const QCommandLineParser &p, const QString &name, int min, int *out, QString *error)
{
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < min) {
        *error = QStringLiteral("--%1 wants a number >= %2").arg(name).arg(min);
        return false;
    }
    *out = v;
    return true;
}

} // namespace

bool ReprocessOptions::parse(const QStringList &arguments, ReprocessOptions *o, QString *error)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Bulk reprocess of Error leads against a fake Graph API that answers after a fixed delay: "
        "leads/s, memory and CPU per concurrency, and the webhook listener's latency meanwhile."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("leads"), QStringLiteral("Error leads to reprocess (default 10000)."),
         QStringLiteral("N")},
        {QStringLiteral("delay-ms"), QStringLiteral("Fake Graph delay per call (default 20)."),
         QStringLiteral("MS")},
        {QStringLiteral("concurrency"),
         QStringLiteral("Engine concurrencies to run (default 4,8,16,32)."),
         QStringLiteral("LIST")},
        {QStringLiteral("probe-at"),
         QStringLiteral(
             "Concurrencies whose run also sends webhooks (default 16; 'all' or 'none')."),
         QStringLiteral("LIST")},
        {QStringLiteral("probe-rate"),
         QStringLiteral("Webhooks per second while probing (default 200)."), QStringLiteral("N")},
        {QStringLiteral("probe-connections"),
         QStringLiteral("Keep-alive connections the webhooks share (default 4)."),
         QStringLiteral("N")},
        {QStringLiteral("baseline-seconds"),
         QStringLiteral(
             "Listener latency with nothing else running, seconds (default 10; 0 = skip)."),
         QStringLiteral("S")},
        {QStringLiteral("graph-threads"),
         QStringLiteral("Worker threads of the fake Graph server (default 64)."),
         QStringLiteral("N")},
        {QStringLiteral("stages"),
         QStringLiteral("Leads for 'where the time goes' (default 300; 0 = skip)."),
         QStringLiteral("N")},
        {QStringLiteral("repeat"),
         QStringLiteral("Run every concurrency this many times (default 1)."), QStringLiteral("N")},
        {QStringLiteral("work-dir"),
         QStringLiteral("Folder for the temporary database (default: system temp)."),
         QStringLiteral("DIR")},
    });
    if (!p.parse(arguments)) {
        *error = p.errorText();
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        error->clear();
        fputs(qPrintable(p.helpText()), stdout);
        return false;
    }
    if (!parseInt(p, QStringLiteral("leads"), 1, &o->leads, error) ||
        !parseInt(p, QStringLiteral("delay-ms"), 0, &o->delayMs, error) ||
        !parseInt(p, QStringLiteral("probe-rate"), 1, &o->probeRate, error) ||
        !parseInt(p, QStringLiteral("probe-connections"), 1, &o->probeConnections, error) ||
        !parseInt(p, QStringLiteral("baseline-seconds"), 0, &o->baselineSeconds, error) ||
        !parseInt(p, QStringLiteral("graph-threads"), 1, &o->graphThreads, error) ||
        !parseInt(p, QStringLiteral("stages"), 0, &o->stageLeads, error) ||
        !parseInt(p, QStringLiteral("repeat"), 1, &o->repeat, error))
        return false;
    if (p.isSet(QStringLiteral("concurrency")) &&
        !parseList(p.value(QStringLiteral("concurrency")), &o->concurrency)) {
        *error = QStringLiteral("--concurrency wants a list such as 4,8,16,32");
        return false;
    }
    if (p.isSet(QStringLiteral("probe-at"))) {
        const QString v = p.value(QStringLiteral("probe-at"));
        if (v == QLatin1String("all")) {
            o->probeAt = o->concurrency;
        } else if (!parseList(v, &o->probeAt)) {
            *error = QStringLiteral("--probe-at wants a list of concurrencies, 'all' or 'none'");
            return false;
        }
    }
    o->workDir = p.value(QStringLiteral("work-dir"));
    return true;
}

} // namespace leadkeeper::bench
