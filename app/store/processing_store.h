#pragma once

#include "lead_log_entry.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <array>
#include <optional>

namespace leadkeeper {

/// What processing one lead log entry ended in (DESIGN.md §4–5); written by ProcessingStore.
struct ProcessingOutcome
{
    LeadStatus status = LeadStatus::Pending;
    QString message;            ///< one human sentence ("" for Processed)
    QByteArray fieldErrors = "[]"; ///< JSON array of {field, value, rule, message}
    QString historyText;        ///< what the history shows (may add Meta's fbtrace id)
    bool byPerson = false;      ///< "Process again": the history shows it even when nothing changed
    int attempts = 0;           ///< transient failures so far
    std::optional<qint64> nextAttemptAtMs;
    std::optional<qint64> pageConfigId;
    std::optional<qint64> formMappingId;
    QByteArray leadPayload; ///< the Graph lead, when it was fetched now (else null: unchanged)
    QString platform;       ///< "" = unchanged
    std::optional<bool> organic;

    /// The Lead to upsert (Processed only): column values of table leads.
    struct LeadRow
    {
        QString customerName, firstName, lastName, phone, email, city;
        QByteArray standardFields = "{}", customFields = "{}", attribution = "{}";
        std::optional<qint64> createdAtMs;
    };
    std::optional<LeadRow> lead;
};

/**
 * The processing side of the lead log: which entries are due, and writing an outcome.
 *
 * Guarantees: an outcome is written in one transaction with its history row, the Lead upsert (one
 * Lead per leadgen id, however often it is reprocessed) and the follow-up actions (outbox), or not
 * at all. An outcome computed from a stale read (someone changed the entry meanwhile, e.g. marked it
 * Loss) is discarded, never overwrites. There is no "in flight" state in the database, so a crash
 * leaves nothing stuck: an entry stays Pending until an outcome is written.
 *
 * The statements of the hot path (due, byId, writeOutcome) are prepared once per object: keep one
 * ProcessingStore per connection where leads are processed one after another (a worker does).
 */
class ProcessingStore
{
public:
    explicit ProcessingStore(QSqlDatabase db);
    ProcessingStore(const ProcessingStore &) = delete;
    ProcessingStore &operator=(const ProcessingStore &) = delete;

    /// Pending entries whose next attempt is due, oldest first.
    QList<LeadLogEntry> due(qint64 nowMs, int limit, QString *error);
    std::optional<LeadLogEntry> byId(qint64 id, QString *error);

    enum class WriteResult { Written, Stale, Failed };
    /// Writes `outcome` if the entry still has `expectedUpdatedAtMs` (optimistic check).
    WriteResult writeOutcome(const LeadLogEntry &entry, const ProcessingOutcome &outcome,
                             const QString &actor, QString *error);

    /// Marks as Loss with a reason (any status but Pending); history keeps the previous status.
    bool markLoss(const QString &leadgenId, const QString &reason, const QString &actor, QString *error);
    /// Reverses Loss: back to the status it had before.
    bool restoreFromLoss(const QString &leadgenId, const QString &actor, QString *error);
    /// Adds a staff correction (overlay) for a Lead field ("field:phone") or a question key
    /// ("question:phone_number"); the original payloads stay untouched.
    bool addCorrection(const QString &leadgenId, const QString &target, const QString &value,
                       const QString &author, QString *error);

    /// Lead log ids matching a reprocess selection (never Pending or Processed).
    QList<qint64> reprocessable(const QList<LeadStatus> &statuses, const QString &pageId,
                                const QString &formId, const QStringList &leadgenIds, QString *error);

    static bool canReprocess(LeadStatus status)
    {
        return status != LeadStatus::Pending && status != LeadStatus::Processed;
    }

private:
    enum Statement { Due, ById, FindLead, UpdateLead, InsertLead, InsertOutbox, UpdateEntry, InsertHistory,
                     StatementCount };
    /// The statement, prepared on first use; nullptr (and `error` set) if it cannot be prepared.
    QSqlQuery *statement(Statement which, QString *error);

    bool appendHistory(qint64 entryId, qint64 atMs, const QString &actor, std::optional<LeadStatus> from,
                       LeadStatus to, const QString &message, QString *error);

    QSqlDatabase m_db;
    std::array<std::optional<QSqlQuery>, StatementCount> m_statements;
};

} // namespace leadkeeper
