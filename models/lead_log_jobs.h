#pragma once

#include "store/lead_log_query.h"

#include <QHash>
#include <QList>
#include <QVariantList>

#include <optional>

namespace leadkeeper::desk {

/**
 * The reads LeadLogModel runs on its reader thread, as plain functions of a LeadLogQuery: what to
 * read goes in as a value, what was read comes out as one. Positions are row numbers of the model
 * at the time the job was posted: "row 0" is the row with the model's top key, so rows committed
 * since the model last looked do not shift anything until a refresh inserts them.
 */

/// Every kAnchorStep rows the key of that row: a read anywhere starts at most this far from one.
inline constexpr qint64 kAnchorStep = 10000;
/// With day starts (LeadLogQuery::dayStarts), only days longer than this get anchors inside.
inline constexpr qint64 kLongDay = 5 * kAnchorStep;

/// A place to start reading: the row `row` is the first one read from `key`, inclusively.
struct Anchor
{
    qint64 row = 0;
    QVariantList key;
    friend bool operator==(const Anchor &, const Anchor &) = default;
    static bool byRow(const Anchor &a, const Anchor &b) { return a.row < b.row; }
};

struct View
{
    DeskFilter filter;
    DeskSort sort;
    std::optional<QVariantList> topKey; ///< key of row 0; none while the model is empty
    QList<Anchor> anchors;              ///< by row: found by the walk
    /// By row, when the filter and order have them (LeadLogQuery::dayStarts): where each
    /// received day begins, from the day counters (read with the count, so exact). Then the count is exact, and the walk only
    /// places anchors inside days longer than kLongDay.
    std::optional<QList<Anchor>> days;
    qint64 count = 0;
    bool countExact = false;
};

/// Rows [first, first + length) of `view`, from the nearest anchor or day (or from the end).
std::optional<QList<DeskRow>> loadRows(LeadLogQuery &query, const View &view, qint64 first,
                                       int length, QString *error);

struct Reset
{
    QList<DeskRow> rows; ///< the first rows
    qint64 count = 0;
    bool countExact = false;
    std::optional<QList<Anchor>> days;
    QHash<LeadStatus, qint64> statusCounts;
    std::optional<qint64> lastWebhookMs;
};
/// A fresh start for a new filter or order: the first `length` rows and whatever count is cheap.
std::optional<Reset> loadReset(LeadLogQuery &query, const DeskFilter &filter, const DeskSort &sort,
                               int length, QString *error);

struct Walk
{
    QList<Anchor> anchors; ///< new ones, by row (after the last anchor given, without days)
    std::optional<qint64> count; ///< once the walk reached the last row (or, with days, no long
                                 ///< day is left without anchors)
};
/// Steps through the index for about `budgetMs`, placing anchors: from the last anchor on, or,
/// with days, inside the first long days without them.
std::optional<Walk> walkAnchors(LeadLogQuery &query, const View &view, int budgetMs,
                                QString *error);

struct Refresh
{
    qint64 head = 0;                    ///< rows now before the old top key (new ones)
    std::optional<QVariantList> topKey; ///< the new top key
    std::optional<qint64> count;        ///< all matching rows, when the query knows them
    std::optional<QList<Anchor>> days;  ///< when the view has days: as they are now
    qint64 windowFirst = 0;             ///< in rows after the head is inserted
    QList<DeskRow> window;
    QHash<LeadStatus, qint64> statusCounts;
    std::optional<qint64> lastWebhookMs;
};
/// What changed since `view` was read: new rows at the top, the count, the rows in the window.
std::optional<Refresh> loadRefresh(LeadLogQuery &query, const View &view, qint64 windowFirst,
                                   int windowLength, QString *error);

} // namespace leadkeeper::desk
