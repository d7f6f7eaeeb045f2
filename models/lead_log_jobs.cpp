#include "lead_log_jobs.h"

#include <QElapsedTimer>

#include <algorithm>

namespace leadkeeper::desk {

namespace {

// Counting new rows at the top stops here: more than this at once is treated as a new log.
constexpr qint64 kMaxHead = 1'000'000;

// The nearest place at or before `first` to read from: an anchor, a day start, else the top row.
Anchor nearestStart(const View &view, qint64 first)
{
    Anchor best{0, *view.topKey};
    const auto consider = [&](const QList<Anchor> &starts) {
        const auto after = std::upper_bound(starts.cbegin(), starts.cend(), first,
                                            [](qint64 row, const Anchor &a) { return row < a.row; });
        if (after != starts.cbegin() && std::prev(after)->row >= best.row)
            best = *std::prev(after);
    };
    consider(view.anchors);
    if (view.days)
        consider(*view.days);
    return best;
}

// The day starts of `filter` in `sort` order into `days` and the entries they hold into `total`,
// when the counters have them (else both stay as they are); false on an error.
bool readDays(LeadLogQuery &query, const DeskFilter &filter, const DeskSort &sort,
              std::optional<QList<Anchor>> *days, std::optional<qint64> *total, QString *error)
{
    const auto read = query.dayStarts(filter, sort, error);
    if (!read)
        return error->isEmpty();
    QList<Anchor> anchors;
    anchors.reserve(read->starts.size());
    for (const LeadLogQuery::DayStart &d : read->starts)
        anchors << Anchor{d.row, d.key};
    *days = std::move(anchors);
    *total = read->total;
    return true;
}

// With day starts: anchors every kAnchorStep rows inside the days longer than kLongDay, from
// the first such day without them on, for about `budgetMs`.
std::optional<Walk> fillLongDays(LeadLogQuery &query, const View &view, int budgetMs,
                                 QString *error)
{
    QElapsedTimer clock;
    clock.start();
    QList<Anchor> starts = *view.days + view.anchors;
    std::stable_sort(starts.begin(), starts.end(), Anchor::byRow);
    Walk walk;
    for (qsizetype i = 0; i < starts.size(); ++i) {
        const qint64 end = i + 1 < starts.size() ? starts.at(i + 1).row : view.count;
        if (end - starts.at(i).row <= kLongDay)
            continue;
        Anchor from = starts.at(i);
        while (from.row + kAnchorStep < end) {
            if (clock.elapsed() >= budgetMs)
                return walk;
            const auto step = query.stepFrom(view.filter, view.sort, {from.key, true}, kAnchorStep,
                                             error);
            if (!step)
                return std::nullopt;
            if (!step->key)
                break; // fewer rows than counted: the next refresh brings the days as they are
            from = Anchor{from.row + kAnchorStep, *step->key};
            walk.anchors << from;
        }
    }
    walk.count = view.count;
    return walk;
}

} // namespace

std::optional<QList<DeskRow>> loadRows(LeadLogQuery &query, const View &view, qint64 first,
                                       int length, QString *error)
{
    if (!view.topKey || length <= 0)
        return QList<DeskRow>{};
    const Anchor nearest = nearestStart(view, first);
    const LeadLogQuery::Start start{nearest.key, true};
    const qint64 startRow = nearest.row;
    // Near the end of a known count, reading backwards from the last row is the short way.
    const qint64 fromEnd = view.count - (first + length);
    if (view.countExact && fromEnd >= 0 && fromEnd < first - startRow)
        return query.rows(view.filter, view.sort, {}, fromEnd, length, true, error);
    return query.rows(view.filter, view.sort, start, first - startRow, length, false, error);
}

std::optional<Reset> loadReset(LeadLogQuery &query, const DeskFilter &filter, const DeskSort &sort,
                               int length, QString *error)
{
    Reset reset;
    if (!query.prepareMatches(filter, sort, false, error))
        return std::nullopt;
    auto rows = query.rows(filter, sort, {}, 0, length, false, error);
    if (!rows)
        return std::nullopt;
    reset.rows = std::move(*rows);
    if (const auto total = query.knownTotal(filter, sort, error)) {
        reset.count = std::max<qint64>(*total, reset.rows.size());
        reset.countExact = true;
    } else if (!error->isEmpty()) {
        return std::nullopt;
    } else {
        reset.count = reset.rows.size();
        reset.countExact = reset.rows.size() < length;
    }
    std::optional<qint64> total;
    if (!readDays(query, filter, sort, &reset.days, &total, error))
        return std::nullopt;
    if (total && !reset.countExact) { // a received range: its days count the entries
        reset.count = std::max<qint64>(*total, reset.rows.size());
        reset.countExact = true;
    }
    const auto counts = query.statusCounts(error);
    if (!counts)
        return std::nullopt;
    reset.statusCounts = *counts;
    QString ignored;
    reset.lastWebhookMs = query.lastReceivedAt(LeadSource::Webhook, &ignored);
    return reset;
}

std::optional<Walk> walkAnchors(LeadLogQuery &query, const View &view, int budgetMs,
                                QString *error)
{
    Walk walk;
    if (!view.topKey) {
        walk.count = 0;
        return walk;
    }
    if (view.days)
        return fillLongDays(query, view, budgetMs, error);
    QElapsedTimer clock;
    clock.start();
    // A text filter's keys first: then every step is an index seek in them.
    if (!query.completeMatches(view.filter, view.sort, error))
        return std::nullopt;
    LeadLogQuery::Start start{view.topKey, true};
    qint64 row = 0;
    if (!view.anchors.isEmpty()) {
        start = {view.anchors.last().key, false};
        row = view.anchors.last().row;
    }
    do {
        // From the top row (included) the next anchor is kAnchorStep rows on; from an anchor
        // (excluded) it is kAnchorStep - 1 rows after the first row that follows it.
        const qint64 offset = start.inclusive ? kAnchorStep : kAnchorStep - 1;
        const auto step = query.stepFrom(view.filter, view.sort, start, offset, error);
        if (!step)
            return std::nullopt;
        if (!step->key) {
            walk.count = row + (start.inclusive ? 0 : 1) + step->rowsAfter;
            break;
        }
        row += kAnchorStep;
        walk.anchors << Anchor{row, *step->key};
        start = {*step->key, false};
    } while (clock.elapsed() < budgetMs);
    return walk;
}

std::optional<Refresh> loadRefresh(LeadLogQuery &query, const View &view, qint64 windowFirst,
                                   int windowLength, QString *error)
{
    Refresh refresh;
    View now = view;
    // A text filter's matches as they are now (rows that joined or left it are seen below),
    // complete again if they were.
    if (!query.prepareMatches(view.filter, view.sort,
                              query.hasCompleteMatches(view.filter, view.sort), error))
        return std::nullopt;
    if (view.topKey) {
        const auto head = query.countBefore(view.filter, view.sort, *view.topKey, kMaxHead, error);
        if (!head)
            return std::nullopt;
        refresh.head = *head;
    }
    refresh.topKey = view.topKey;
    if (refresh.head > 0) {
        const auto top = query.rows(view.filter, view.sort, {}, 0, 1, false, error);
        if (!top)
            return std::nullopt;
        if (!top->isEmpty())
            refresh.topKey = top->first().key;
        for (Anchor &a : now.anchors)
            a.row += refresh.head;
        now.count += refresh.head;
        now.topKey = refresh.topKey;
    }
    refresh.count = query.knownTotal(view.filter, view.sort, error);
    if (!error->isEmpty())
        return std::nullopt;
    // Days as they are now (entries that left or joined the filter anywhere moved them).
    if (view.days) {
        std::optional<qint64> total;
        if (!readDays(query, view.filter, view.sort, &refresh.days, &total, error))
            return std::nullopt;
        now.days = refresh.days;
        if (!refresh.count)
            refresh.count = total;
    }
    // A window at the top (the user watches new leads arrive) takes the new rows in.
    const bool atTop = windowFirst == 0;
    refresh.windowFirst = atTop ? 0 : windowFirst + refresh.head;
    const qint64 length = atTop ? qMin<qint64>(windowLength + refresh.head, 4 * windowLength + 64)
                                : windowLength;
    auto rows = loadRows(query, now, refresh.windowFirst, int(length), error);
    if (!rows)
        return std::nullopt;
    refresh.window = std::move(*rows);
    const auto counts = query.statusCounts(error);
    if (!counts)
        return std::nullopt;
    refresh.statusCounts = *counts;
    QString ignored;
    refresh.lastWebhookMs = query.lastReceivedAt(LeadSource::Webhook, &ignored);
    return refresh;
}

} // namespace leadkeeper::desk
