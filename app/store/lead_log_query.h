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
 * rows found by stepping through an index; counts from the counters of migration 002.
 *
 * Every query runs to its end before the call returns (never a half-stepped SELECT holding back
 * WAL checkpoints) and reads at most `limit` rows or one key. Uses the connection it was given, so
 * it lives in the thread that opened it (the desk's reader thread).
 */
class LeadLogQuery
{
public:
    explicit LeadLogQuery(QSqlDatabase db);

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

    /// Matching entries from the counters, when the filter allows it (isCountedByStatus()).
    std::optional<qint64> countedTotal(const DeskFilter &filter, QString *error);
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

    /// The FTS5 query for what a person typed: each word a quoted prefix phrase, all required.
    static QString ftsQuery(const QString &text);

private:
    QSqlDatabase m_db;
};

} // namespace leadkeeper
