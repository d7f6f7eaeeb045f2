#pragma once

#include "lead_log_entry.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <optional>

namespace leadkeeper {

/**
 * Reads and writes the lead log: one entry per leadgen id, with its status history.
 *
 * Thread contract: a LeadLogStore uses the connection it was given, so it lives in the thread that
 * opened that connection. Writes are whole: storeDelivery() writes all leads of one delivery in one
 * transaction, or nothing.
 */
class LeadLogStore
{
public:
    explicit LeadLogStore(QSqlDatabase db);

    struct DeliveryOutcome
    {
        int stored = 0;      ///< new lead log entries
        int redelivered = 0; ///< leadgen ids already known: their delivery count went up
        QStringList newLeadgenIds;
    };

    /// Stores one delivery (all its leads) in one transaction; on failure nothing is written, the
    /// result is empty and *error says why.
    std::optional<DeliveryOutcome> storeDelivery(const QList<IncomingLead> &leads, qint64 receivedAtMs,
                                                 QString *error);
    /// The writes of storeDelivery() inside a transaction the caller holds (DeliveryWriter: one
    /// transaction, a savepoint per delivery). On failure part of the delivery may be written:
    /// the caller must roll back (to its savepoint); the result is empty and *error says why.
    std::optional<DeliveryOutcome> writeDelivery(const QList<IncomingLead> &leads, qint64 receivedAtMs,
                                                 QString *error);

    /// Newest first.
    std::optional<QList<LeadLogEntry>> list(const LeadLogFilter &filter, QString *error);
    std::optional<LeadLogEntry> find(const QString &leadgenId, QString *error);
    QList<HistoryEvent> history(qint64 entryId, QString *error);
    /// Received time of the newest entry of that source, if any.
    std::optional<qint64> lastReceivedAt(LeadSource source, QString *error);
    QHash<LeadStatus, qint64> statusCounts(QString *error);

    static LeadLogEntry entryFromRecord(const QSqlQuery &q);
    static const QString &entryColumns();

private:
    QSqlDatabase m_db;
    QSqlQuery m_upsert;
    QSqlQuery m_history;
    bool m_prepared = false;
};

} // namespace leadkeeper
