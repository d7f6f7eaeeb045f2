// desk_model: the desk's lead table on a generated log of a million (or ten million) entries.
// Prints time to first rows, jumps (scrollbar dragged to the middle and to the end), a status and
// a text filter, and the peak memory. Usage: desk_model [--rows N] [--db PATH] (an existing PATH
// with N rows is reused; a missing log is generated in bulk, ~100k rows/s, by a child process so
// the generator's cache never counts in this process's peak memory).

#include "lead_log_model.h"
#include "log_generator.h"
#include "store/database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QHeaderView>
#include <QScrollBar>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

using namespace leadkeeper;

namespace {

QTextStream out(stdout);

qint64 peakKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// The rows the view shows are loaded (the view painted them from the model's window).
bool visibleLoaded(QTableView &view, LeadLogModel &model)
{
    if (model.isLoading())
        return false;
    if (model.rowCount() == 0)
        return true;
    const int top = qMax(0, view.rowAt(0));
    int bottom = view.rowAt(view.viewport()->height() - 2);
    if (bottom < 0)
        bottom = model.rowCount() - 1;
    for (int row = top; row <= bottom; ++row)
        if (!model.rowAt(row))
            return false;
    return true;
}

// CPU time (clock ticks) of this process's thread named `name`, or -1.
qint64 threadTicks(const QString &name)
{
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || QString::fromLatin1(comm.readAll().trimmed()) != name)
            continue;
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            return -1;
        // Fields after the ")" that ends the name: state is 3rd, utime 14th and stime 15th overall.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        return f.size() > 12 ? f.at(11).toLongLong() + f.at(12).toLongLong() : -1;
    }
    return -1;
}

// Lets the model work until its count is exact and its reader thread has been idle for 300 ms
// (the anchor walk is over: the model has no signal for that), at most `limitMs`.
void waitReaderIdle(LeadLogModel &model, int limitMs)
{
    QElapsedTimer clock;
    clock.start();
    qint64 last = -2;
    int quiet = 0;
    while (clock.elapsed() < limitMs) {
        QEventLoop loop;
        QTimer::singleShot(100, &loop, &QEventLoop::quit);
        loop.exec();
        const qint64 now = threadTicks(QStringLiteral("LeadLogReader"));
        quiet = now == last && model.isCountExact() ? quiet + 1 : 0;
        last = now;
        if (quiet >= 3)
            return;
    }
}

double waitShown(QTableView &view, LeadLogModel &model, const QElapsedTimer &clock)
{
    while (!visibleLoaded(view, model))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 2);
    view.viewport()->repaint();
    return clock.nsecsElapsed() / 1e6;
}

void line(const char *what, double ms, const char *target)
{
    out << QStringLiteral("%1 %2 ms   (target %3)")
               .arg(QLatin1String(what), -34)
               .arg(ms, 8, 'f', 1)
               .arg(QLatin1String(target))
        << Qt::endl;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Entries in the log."), QStringLiteral("n"),
                      QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("db"), QStringLiteral("Database file (reused when it has the rows)."),
                      QStringLiteral("path")});
    parser.addOption({QStringLiteral("generate-only"),
                      QStringLiteral("Only generate the log into --db (what the child process does).")});
    parser.process(app);
    const qint64 rows = parser.value(QStringLiteral("rows")).toLongLong();
    QTemporaryDir dir;
    const QString path = parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db"))
                                                            : dir.filePath(QStringLiteral("bench.db"));
    QString error;
    if (parser.isSet(QStringLiteral("generate-only"))) {
        if (!bench::generateLog(path, rows, &error)) {
            out << error << Qt::endl;
            return 1;
        }
        return 0;
    }
    qint64 have = 0;
    {
        auto db = Database::open(path, &error);
        if (!db) {
            out << error << Qt::endl;
            return 1;
        }
        QSqlQuery q(db->sql());
        q.exec(QStringLiteral("SELECT IFNULL(SUM(n), 0) FROM lead_log_counts"));
        have = q.next() ? q.value(0).toLongLong() : 0;
    } // closed: the generator must be the file's only user
    if (have != rows) {
        if (have != 0) {
            out << "the database holds another log (" << have << " entries)" << Qt::endl;
            return 1;
        }
        out << "generating " << rows << " entries in " << path << Qt::endl;
        QElapsedTimer gen;
        gen.start();
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--generate-only"), QStringLiteral("--rows"),
                     QString::number(rows), QStringLiteral("--db"), path});
        if (!child.waitForFinished(-1) || child.exitStatus() != QProcess::NormalExit
            || child.exitCode() != 0) {
            out << "generating the log failed" << Qt::endl;
            return 1;
        }
        out << "generated in " << gen.elapsed() / 1000.0 << " s" << Qt::endl;
    }
    out << "log: " << rows << " entries, " << QFile(path).size() / (1024 * 1024) << " MiB" << Qt::endl;

    QElapsedTimer clock;
    clock.start();
    auto db = Database::open(path, &error);
    LeadLogModel model(std::move(*db));
    QTableView view;
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(24);
    view.resize(1366, 800);
    view.setModel(&model);
    view.show();
    line("first rows shown", waitShown(view, model, clock), "< 200 ms");

    QScrollBar *bar = view.verticalScrollBar();
    auto jump = [&](const char *what, double fraction) {
        QElapsedTimer t;
        t.start();
        bar->setValue(int(bar->maximum() * fraction));
        line(what, waitShown(view, model, t), "< 50 ms");
    };
    jump("jump to the middle (just opened)", 0.5);
    jump("jump to 37 % (just opened)", 0.37);
    waitReaderIdle(model, 600000);
    line("anchors complete, since opened", clock.nsecsElapsed() / 1e6, "-");
    jump("jump to the end", 1.0);
    jump("jump to 37 %", 0.37);
    jump("jump to the middle", 0.5);
    jump("jump to the top", 0.0);

    auto filter = [&](const char *what, const DeskFilter &f) {
        QElapsedTimer t;
        t.start();
        model.setFilter(f);
        const double ms = waitShown(view, model, t);
        line(what, ms, "< 150 ms");
        bar->setValue(bar->maximum() / 2);
        QElapsedTimer j;
        j.start();
        line("    jump to its middle at once", waitShown(view, model, j), "< 50 ms");
        waitReaderIdle(model, 600000);
        out << "    " << model.rowCount() << " rows; count exact and anchors complete after +"
            << t.elapsed() << " ms" << Qt::endl;
        bar->setValue(bar->maximum() / 3);
        j.restart();
        line("    then a jump to its first third", waitShown(view, model, j), "< 50 ms");
    };
    DeskFilter errors;
    errors.statuses = {LeadStatus::Error};
    filter("status filter (Error)", errors);
    DeskFilter text;
    text.text = QStringLiteral("mustermann");
    filter("text filter (\"mustermann\", ~5 %)", text);
    text.text = QStringLiteral("+49 151 1234");
    filter("text filter (phone \"+49 151 1234\")", text);
    DeskFilter errorText;
    errorText.statuses = {LeadStatus::Error};
    errorText.text = QStringLiteral("token expired");
    filter("status + text (\"token expired\")", errorText);
    DeskFilter instagram;
    instagram.platform = QStringLiteral("instagram");
    filter("platform filter (Instagram, ~33 %)", instagram);
    filter("back to everything", DeskFilter{});

    out << QStringLiteral("peak memory (VmHWM)                 %1 MB   (target < 200 MB)")
               .arg(peakKb() / 1024.0, 0, 'f', 1)
        << Qt::endl;
    return 0;
}
