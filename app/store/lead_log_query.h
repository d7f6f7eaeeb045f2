#pragma once

#include "lead_status.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <optional>

namespace leadkeeper {

/// What the desk shows of one lead log entry: one row of its table, no payloads.
struct DeskRow
{
    qint64 id = 0;
    QString leadgenId;
    qint64 receivedAtMs = 0;
    std::optional<qint64> createdAtMs;
    LeadStatus status = LeadStatus::Pending;
    QString name;  ///< from the Lead, else from the lead payload (migration 002's triggers)
    QString phone;
    QString email;
    QString pageId;
    QString pageName; ///< the page config's name; empty when the page is not configured
    QString formId;
    QString formName; ///< the form mapping's name; empty when the form is not mapped
    LeadSource source = LeadSource::Webhook;
    QString platform;
    bool organic = false;
    QString errorMessage;
    int deliveries = 1;
    qint64 updatedAtMs = 0;
    QVariantList key; ///< its values of the sort key, last the id (keyset paging)
};

/// The desk's filter. Empty members filter nothing; all given members must hold (AND).
struct DeskFilter
{
    QList<LeadStatus> statuses; ///< any of these
    std::optional<LeadSource> source;
    QString platform; ///< facebook, instagram or unknown
    QString pageId;
    QString formId;
    std::optional<bool> organic;
    std::optional<qint64> receivedFromMs; ///< inclusive
    std::optional<qint64> receivedToMs;   ///< exclusive
    std::optional<qint64> createdFromMs;
    std::optional<qint64> createdToMs;
    QString text; ///< words, each matched as a prefix of a word of id, name, phone, e-mail, error

    /// True when lead_log_counts answers the number of matching entries (statuses at most).
    bool isCountedByStatus() const;
    bool isEmpty() const { return statuses.isEmpty() && isCountedByStatus(); }
    friend bool operator==(const DeskFilter &, const DeskFilter &) = default;
};

/// The orders the desk offers: each is backed by an index ending in id.
enum class DeskSortKey { Received, Created, Status, Name };

struct DeskSort
{
    DeskSortKey key = DeskSortKey::Received;
    bool descending = true;
    friend bool operator==(const DeskSort &, const DeskSort &) = default;
};

/**
 * The desk's read queries over the lead log: filtered, sorted, keyset-paged rows; positions of
 * rows found by stepping through an index; counts from the counters of migration 002; and the
 * reprocessable entries a filter matches (the bulk job's selection, from the same WHERE builder).
 *
 * A text filter reads through a match set in TEMP tables of this connection, made by
 * prepareMatches() (or the first read of a new filter): FTS5 finds the matching ids in one go,
 * but ordering the matches afresh for every page costs O(matches). First the ids alone: pages
 * walk the order's index and look each entry up in them (quick for the first rows of a broad
 * match). Then, at once for a few matches, else by completeMatches() (the desk's background
 * walk), the (sort key, id) of every entry matching the whole filter, paged by key: a jump
 * anywhere costs an index seek, and the count is known. Reads see the entries that matched when
 * the set was made (their values are read live) until the next prepareMatches(); the set of
 * another filter replaces it.
 *
 * Every query runs to its end before the call returns (never a half-stepped SELECT holding back
 * WAL checkpoints) and reads at most `limit` rows or one key. Uses the connection it was given, so
 * it lives in the thread that opened it (the desk's reader thread).
 */
class LeadLogQuery
{
public:
    explicit LeadLogQuery(QSqlDatabase db);
    ~LeadLogQuery();
    LeadLogQuery(const LeadLogQuery &) = delete;
    LeadLogQuery &operator=(const LeadLogQuery &) = delete;

    /// True when reads of `filter` go through a match set (it searches text).
    static bool usesMatchSet(const DeskFilter &filter);
    /// Text matches up to which prepareMatches() completes the match set at once.
    static constexpr qint64 kEagerKeys = 10000;
    /// (Re)makes the match set of `filter` from what is committed now: the ids whose text matches
    /// (one FTS5 query), and when `complete` or they are few, the keys of the entries matching
    /// the whole filter in `sort` order. Nothing to do (true) for a filter without text.
    bool prepareMatches(const DeskFilter &filter, const DeskSort &sort, bool complete,
                        QString *error);
    /// Adds the keys to the match set when it has only the ids (one lookup per text match).
    bool completeMatches(const DeskFilter &filter, const DeskSort &sort, QString *error);
    bool hasCompleteMatches(const DeskFilter &filter, const DeskSort &sort) const;

    /// Where a read starts: after (or at, when inclusive) the row with `key`, or at the first row.
    struct Start
    {
        std::optional<QVariantList> key;
        bool inclusive = false;
    };

    /// Up to `limit` rows in sort order, skipping `offset` rows after `start`. With `fromEnd` the
    /// read goes backwards from the last row (start and offset count from there) and the rows
    /// come back in sort order all the same.
    std::optional<QList<DeskRow>> rows(const DeskFilter &filter, const DeskSort &sort,
                                       const Start &start, qint64 offset, int limit, bool fromEnd,
                                       QString *error);

    struct Step
    {
        std::optional<QVariantList> key; ///< of the row `step` rows after the start, if any
        qint64 rowsAfter = 0; ///< without a key: how many rows follow the start (fewer than step)
    };
    /// The key `step` rows after `start` (one index walk of `step` entries).
    std::optional<Step> stepFrom(const DeskFilter &filter, const DeskSort &sort, const Start &start,
                                 qint64 step, QString *error);

    /// Rows sorting before `key` (newer ones in the default order), counted up to `limit`.
    std::optional<qint64> countBefore(const DeskFilter &filter, const DeskSort &sort,
                                      const QVariantList &key, qint64 limit, QString *error);

    /// Where a received day begins: `row` rows of the order come before it, and a read that
    /// starts at `key` (inclusive) starts at its first row (no entry has that key: it lies just
    /// beyond the day's end, or before its beginning, in the order's direction).
    struct DayStart
    {
        qint64 row = 0;
        QVariantList key;
    };
    struct Days
    {
        QList<DayStart> starts; ///< every day with matching entries, in the order
        qint64 total = 0;       ///< all matching entries
    };
    /// True when dayStarts() answers `filter`: statuses and a received range at most.
    static bool hasDays(const DeskFilter &filter);
    /// The days of `filter` in `sort` order (received or status order) from lead_log_day_counts;
    /// only the days a received range cuts are counted in the log. nullopt for other filters and
    /// orders (`error` empty), or on an error.
    std::optional<Days> dayStarts(const DeskFilter &filter, const DeskSort &sort, QString *error);

    /// Matching entries when known without counting rows: from the status counters, or the size
    /// of a complete match set. nullopt when not known, or on an error (`error` set).
    std::optional<qint64> knownTotal(const DeskFilter &filter, const DeskSort &sort,
                                     QString *error);
    std::optional<QHash<LeadStatus, qint64>> statusCounts(QString *error);
    std::optional<qint64> lastReceivedAt(LeadSource source, QString *error);

    struct Choice
    {
        QString id;
        QString name; ///< empty when not configured
    };
    /// Pages in the log or configured; forms configured (their names) for the filter's lists.
    std::optional<QList<Choice>> pages(QString *error);
    std::optional<QList<Choice>> forms(QString *error);

    /// The entries matching `filter` that may be reprocessed (DESIGN.md §4: never Pending or
    /// Processed ones), oldest first: what "Process all matching" processes.
    std::optional<QList<qint64>> reprocessableIds(const DeskFilter &filter, QString *error);

    /// The phone region of pages without one of their own (the default phone region setting).
    /// A phone number typed without its country code is looked for with the country code of this
    /// region and of every page's region too.
    void setDefaultPhoneRegion(const QString &region) { m_defaultPhoneRegion = region; }

    /// The FTS5 query for what a person typed: each word a quoted prefix phrase, all required. A
    /// phone number (digits and + - ( ) / . and spaces) is one term, its digits as a prefix, or,
    /// without a leading + or 00, its digits with the country code of one of `phoneRegions` (the
    /// national prefix such as a leading 0 dropped): "(512) 555" finds +1 512 555 … with region US.
    static QString ftsQuery(const QString &text, const QStringList &phoneRegions = {});

private:
    struct Source;
    /// Where reads of `filter` in `sort` order come from: the log, or its match set.
    std::optional<Source> source(const DeskFilter &filter, const DeskSort &sort, QString *error);

    struct MatchSet
    {
        DeskFilter filter;
        qint64 textMatches = 0;          ///< ids in temp.desk_match_ids
        std::optional<DeskSort> keysSort; ///< once temp.desk_matches holds the keys
        qint64 count = 0;                ///< entries in temp.desk_matches
    };

    /// The default phone region and the regions of the configured pages.
    QStringList phoneRegions();

    QSqlDatabase m_db;
    std::optional<MatchSet> m_matches;
    QString m_defaultPhoneRegion;
};

} // namespace leadkeeper
