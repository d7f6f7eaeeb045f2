#include "lead_log_store.h"

#include "sql_values.h"
#include "write_transaction.h"

#include <QSqlError>
#include <QVariant>

namespace leadkeeper {

namespace {

QVariant optionalInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

// An absent JSON document is NULL (lead_payload: "not fetched yet"), never an empty string.
QVariant optionalJson(const QByteArray &json)
{
    return json.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromUtf8(json));
}

} // namespace

LeadLogStore::LeadLogStore(QSqlDatabase db) : m_db(std::move(db)), m_upsert(m_db), m_history(m_db) {}

const QString &LeadLogStore::entryColumns()
{
    static const QString columns = QStringLiteral(
        "id, leadgen_id, page_id, form_id, ad_id, adgroup_id, created_at, received_at, source, "
        "platform, organic, status, error_message, field_errors, attempts, next_attempt_at, lead_id, "
        "raw_payload, lead_payload, corrections, deliveries, updated_at");
    return columns;
}

LeadLogEntry LeadLogStore::entryFromRecord(const QSqlQuery &q)
{
    LeadLogEntry e;
    e.id = q.value(0).toLongLong();
    e.leadgenId = q.value(1).toString();
    e.pageId = q.value(2).toString();
    e.formId = q.value(3).toString();
    e.adId = q.value(4).toString();
    e.adgroupId = q.value(5).toString();
    if (!q.value(6).isNull())
        e.createdAtMs = q.value(6).toLongLong();
    e.receivedAtMs = q.value(7).toLongLong();
    e.source = sourceFromKey(q.value(8).toString()).value_or(LeadSource::Webhook);
    e.platform = q.value(9).toString();
    e.organic = q.value(10).toInt() != 0;
    e.status = statusFromKey(q.value(11).toString()).value_or(LeadStatus::Pending);
    e.errorMessage = q.value(12).toString();
    e.fieldErrors = q.value(13).toString().toUtf8();
    e.attempts = q.value(14).toInt();
    if (!q.value(15).isNull())
        e.nextAttemptAtMs = q.value(15).toLongLong();
    if (!q.value(16).isNull())
        e.leadId = q.value(16).toLongLong();
    e.rawPayload = q.value(17).toString().toUtf8();
    if (!q.value(18).isNull())
        e.leadPayload = q.value(18).toString().toUtf8();
    e.corrections = q.value(19).toString().toUtf8();
    e.deliveries = q.value(20).toInt();
    e.updatedAtMs = q.value(21).toLongLong();
    return e;
}

std::optional<LeadLogStore::DeliveryOutcome>
LeadLogStore::storeDelivery(const QList<IncomingLead> &leads, qint64 receivedAtMs, QString *error)
{
    WriteTransaction transaction(m_db); // rolls back on every early return
    if (!transaction.isOpen()) {
        *error = QStringLiteral("The lead log cannot be written: %1").arg(transaction.errorText());
        return std::nullopt;
    }
    auto outcome = writeDelivery(leads, receivedAtMs, error);
    if (!outcome)
        return std::nullopt;
    if (!transaction.commit()) {
        *error = QStringLiteral("The lead log cannot be written: %1").arg(transaction.errorText());
        return std::nullopt;
    }
    return outcome;
}

std::optional<LeadLogStore::DeliveryOutcome>
LeadLogStore::writeDelivery(const QList<IncomingLead> &leads, qint64 receivedAtMs, QString *error)
{
    if (!m_prepared) {
        // A redelivery counts, never duplicates: the leadgen id is the idempotency key.
        if (!m_upsert.prepare(QStringLiteral(
                "INSERT INTO lead_log (leadgen_id, page_id, form_id, ad_id, adgroup_id, created_at, "
                "received_at, source, organic, status, raw_payload, lead_payload, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) "
                "ON CONFLICT (leadgen_id) DO UPDATE SET deliveries = lead_log.deliveries + 1 "
                "RETURNING id, deliveries"))
            || !m_history.prepare(QStringLiteral(
                "INSERT INTO lead_log_history (lead_log_id, at, actor, from_status, to_status, "
                "message) VALUES (?, ?, 'system', NULL, 'pending', ?)"))) {
            *error = QStringLiteral("The lead log cannot be written: %1")
                         .arg(m_upsert.lastError().text() + m_history.lastError().text());
            return std::nullopt;
        }
        m_prepared = true;
    }

    // The leadgen id is the idempotency key: an empty one would merge unrelated leads into one entry.
    for (qsizetype i = 0; i < leads.size(); ++i) {
        if (leads.at(i).leadgenId.trimmed().isEmpty()) {
            *error = QStringLiteral("The lead log cannot be written: lead %1 of %2 has no leadgen id "
                                    "(nothing of this delivery was stored).")
                         .arg(i + 1)
                         .arg(leads.size());
            return std::nullopt;
        }
    }
    DeliveryOutcome outcome;
    auto fail = [&](const QSqlQuery &q) {
        *error = QStringLiteral("The lead log cannot be written: %1").arg(q.lastError().text());
        m_upsert.finish();
        return std::nullopt;
    };
    for (const IncomingLead &lead : leads) {
        m_upsert.bindValue(0, sqlText(lead.leadgenId));
        m_upsert.bindValue(1, sqlText(lead.pageId));
        m_upsert.bindValue(2, sqlText(lead.formId));
        m_upsert.bindValue(3, sqlText(lead.adId));
        m_upsert.bindValue(4, sqlText(lead.adgroupId));
        m_upsert.bindValue(5, optionalInt(lead.createdAtMs));
        m_upsert.bindValue(6, receivedAtMs);
        m_upsert.bindValue(7, sourceKey(lead.source));
        m_upsert.bindValue(8, lead.adId.isEmpty() ? 1 : 0);
        m_upsert.bindValue(9, sqlText(QString::fromUtf8(lead.rawPayload)));
        m_upsert.bindValue(10, optionalJson(lead.leadPayload));
        m_upsert.bindValue(11, receivedAtMs);
        if (!m_upsert.exec() || !m_upsert.next())
            return fail(m_upsert);
        const qint64 id = m_upsert.value(0).toLongLong();
        const int deliveries = m_upsert.value(1).toInt();
        m_upsert.finish();
        if (deliveries > 1) {
            ++outcome.redelivered;
            continue;
        }
        m_history.bindValue(0, id);
        m_history.bindValue(1, receivedAtMs);
        m_history.bindValue(2, QStringLiteral("Received via %1").arg(sourceKey(lead.source)));
        if (!m_history.exec())
            return fail(m_history);
        ++outcome.stored;
        outcome.newLeadgenIds << lead.leadgenId;
    }
    return outcome;
}

std::optional<QList<LeadLogEntry>> LeadLogStore::list(const LeadLogFilter &filter, QString *error)
{
    QString sql = QStringLiteral("SELECT %1 FROM lead_log").arg(entryColumns());
    QStringList where;
    QVariantList binds;
    if (filter.status) {
        where << QStringLiteral("status = ?");
        binds << statusKey(*filter.status);
    }
    if (filter.source) {
        where << QStringLiteral("source = ?");
        binds << sourceKey(*filter.source);
    }
    if (!filter.pageId.isEmpty()) {
        where << QStringLiteral("page_id = ?");
        binds << filter.pageId;
    }
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY received_at DESC, id DESC LIMIT ?");
    binds << qMax(0, filter.limit);

    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec()) {
        *error = QStringLiteral("The lead log cannot be read: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    QList<LeadLogEntry> entries;
    while (q.next())
        entries << entryFromRecord(q);
    return entries;
}

std::optional<LeadLogEntry> LeadLogStore::find(const QString &leadgenId, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM lead_log WHERE leadgen_id = ?").arg(entryColumns()));
    q.addBindValue(leadgenId);
    if (!q.exec()) {
        *error = QStringLiteral("The lead log cannot be read: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) {
        *error = QStringLiteral("No lead with leadgen id %1 is in the lead log.").arg(leadgenId);
        return std::nullopt;
    }
    return entryFromRecord(q);
}

QList<HistoryEvent> LeadLogStore::history(qint64 entryId, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT at, actor, from_status, to_status, message FROM "
                             "lead_log_history WHERE lead_log_id = ? ORDER BY at, id"));
    q.addBindValue(entryId);
    QList<HistoryEvent> events;
    if (!q.exec()) {
        *error = QStringLiteral("The history cannot be read: %1").arg(q.lastError().text());
        return events;
    }
    while (q.next()) {
        HistoryEvent e;
        e.atMs = q.value(0).toLongLong();
        e.actor = q.value(1).toString();
        if (!q.value(2).isNull())
            e.from = statusFromKey(q.value(2).toString());
        e.to = statusFromKey(q.value(3).toString()).value_or(LeadStatus::Pending);
        e.message = q.value(4).toString();
        events << e;
    }
    return events;
}

std::optional<qint64> LeadLogStore::lastReceivedAt(LeadSource source, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT MAX(received_at) FROM lead_log WHERE source = ?"));
    q.addBindValue(sourceKey(source));
    if (!q.exec() || !q.next()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    if (q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

QHash<LeadStatus, qint64> LeadLogStore::statusCounts(QString *error)
{
    QHash<LeadStatus, qint64> counts;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT status, COUNT(*) FROM lead_log GROUP BY status"))) {
        *error = q.lastError().text();
        return counts;
    }
    while (q.next()) {
        if (const auto s = statusFromKey(q.value(0).toString()))
            counts.insert(*s, q.value(1).toLongLong());
    }
    return counts;
}

} // namespace leadkeeper
