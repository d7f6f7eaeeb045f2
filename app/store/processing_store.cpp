#include "processing_store.h"

#include "lead_log_store.h"
#include "write_transaction.h"
#include "processing/mapping_types.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

QVariant nullableInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

QVariant nonNull(const QString &s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

ProcessingStore::ProcessingStore(QSqlDatabase db) : m_db(std::move(db)) {}

QList<LeadLogEntry> ProcessingStore::due(qint64 nowMs, int limit, QString *error)
{
    QList<LeadLogEntry> entries;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM lead_log WHERE status = 'pending' AND "
                             "(next_attempt_at IS NULL OR next_attempt_at <= ?) "
                             "ORDER BY received_at, id LIMIT ?")
                  .arg(LeadLogStore::entryColumns()));
    q.addBindValue(nowMs);
    q.addBindValue(limit);
    if (!q.exec()) {
        *error = q.lastError().text();
        return entries;
    }
    while (q.next())
        entries << LeadLogStore::entryFromRecord(q);
    return entries;
}

std::optional<LeadLogEntry> ProcessingStore::byId(qint64 id, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM lead_log WHERE id = ?").arg(LeadLogStore::entryColumns()));
    q.addBindValue(id);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next()) {
        *error = QStringLiteral("Lead log entry %1 does not exist.").arg(id);
        return std::nullopt;
    }
    return LeadLogStore::entryFromRecord(q);
}

bool ProcessingStore::appendHistory(qint64 entryId, qint64 atMs, const QString &actor,
                                    std::optional<LeadStatus> from, LeadStatus to,
                                    const QString &message, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO lead_log_history (lead_log_id, at, actor, from_status, "
                             "to_status, message) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(entryId);
    q.addBindValue(atMs);
    q.addBindValue(actor);
    q.addBindValue(from ? QVariant(statusKey(*from)) : QVariant(QMetaType::fromType<QString>()));
    q.addBindValue(statusKey(to));
    q.addBindValue(nonNull(message));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

ProcessingStore::WriteResult ProcessingStore::writeOutcome(const LeadLogEntry &entry,
                                                           const ProcessingOutcome &outcome,
                                                           const QString &actor, QString *error)
{
    WriteTransaction tx(m_db);
    if (!tx.isOpen()) {
        *error = tx.errorText();
        return WriteResult::Failed;
    }
    const qint64 at = qMax(now(), entry.updatedAtMs + 1); // updated_at is the entry's version
    std::optional<qint64> leadId = entry.leadId;

    if (outcome.lead) {
        const ProcessingOutcome::LeadRow &l = *outcome.lead;
        QSqlQuery find(m_db);
        find.prepare(QStringLiteral("SELECT id FROM leads WHERE leadgen_id = ?"));
        find.addBindValue(entry.leadgenId);
        if (!find.exec()) {
            *error = find.lastError().text();
            return WriteResult::Failed;
        }
        const bool exists = find.next();
        const qint64 existingId = exists ? find.value(0).toLongLong() : 0;
        find.finish();
        QSqlQuery w(m_db);
        if (exists) {
            w.prepare(QStringLiteral(
                "UPDATE leads SET customer_name = ?, first_name = ?, last_name = ?, phone = ?, "
                "email = ?, city = ?, standard_fields = ?, custom_fields = ?, attribution = ?, "
                "created_at = ?, updated_at = ? WHERE id = ?"));
        } else {
            w.prepare(QStringLiteral(
                "INSERT INTO leads (customer_name, first_name, last_name, phone, email, city, "
                "standard_fields, custom_fields, attribution, created_at, updated_at, leadgen_id, "
                "source, lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'meta_ads', "
                "'new')"));
        }
        for (const QString *s : {&l.customerName, &l.firstName, &l.lastName, &l.phone, &l.email, &l.city})
            w.addBindValue(nonNull(*s));
        w.addBindValue(QString::fromUtf8(l.standardFields));
        w.addBindValue(QString::fromUtf8(l.customFields));
        w.addBindValue(QString::fromUtf8(l.attribution));
        w.addBindValue(nullableInt(l.createdAtMs));
        w.addBindValue(at);
        if (exists)
            w.addBindValue(existingId);
        else
            w.addBindValue(entry.leadgenId);
        if (!w.exec()) {
            *error = w.lastError().text();
            return WriteResult::Failed;
        }
        leadId = exists ? existingId : w.lastInsertId().toLongLong();
        if (!exists) {
            // Follow-up actions go out through the outbox, queued with the Lead they concern.
            QSqlQuery o(m_db);
            o.prepare(QStringLiteral("INSERT INTO outbox (lead_id, kind, payload, created_at) VALUES "
                                     "(?, 'call_dispatch', ?, ?)"));
            o.addBindValue(*leadId);
            o.addBindValue(QString::fromStdString(
                nlohmann::json{{"leadgen_id", entry.leadgenId.toStdString()},
                               {"to_number", l.phone.toStdString()}}
                    .dump()));
            o.addBindValue(at);
            if (!o.exec()) {
                *error = o.lastError().text();
                return WriteResult::Failed;
            }
        }
    }

    QSqlQuery u(m_db);
    u.prepare(QStringLiteral(
        "UPDATE lead_log SET status = ?, error_message = ?, field_errors = ?, attempts = ?, "
        "next_attempt_at = ?, page_config_id = ?, form_mapping_id = ?, lead_id = ?, "
        "lead_payload = COALESCE(?, lead_payload), platform = CASE WHEN ? = '' THEN platform ELSE ? "
        "END, organic = COALESCE(?, organic), updated_at = ? WHERE id = ? AND updated_at = ?"));
    u.addBindValue(statusKey(outcome.status));
    u.addBindValue(nonNull(outcome.message));
    u.addBindValue(QString::fromUtf8(outcome.fieldErrors.isEmpty() ? QByteArray("[]") : outcome.fieldErrors));
    u.addBindValue(outcome.attempts);
    u.addBindValue(nullableInt(outcome.nextAttemptAtMs));
    u.addBindValue(nullableInt(outcome.pageConfigId));
    u.addBindValue(nullableInt(outcome.formMappingId));
    u.addBindValue(nullableInt(leadId));
    u.addBindValue(outcome.leadPayload.isNull() ? QVariant(QMetaType::fromType<QString>())
                                                : QVariant(QString::fromUtf8(outcome.leadPayload)));
    u.addBindValue(nonNull(outcome.platform));
    u.addBindValue(nonNull(outcome.platform));
    u.addBindValue(outcome.organic ? QVariant(*outcome.organic ? 1 : 0) : QVariant(QMetaType::fromType<int>()));
    u.addBindValue(at);
    u.addBindValue(entry.id);
    u.addBindValue(entry.updatedAtMs);
    if (!u.exec()) {
        *error = u.lastError().text();
        return WriteResult::Failed;
    }
    if (u.numRowsAffected() != 1)
        return WriteResult::Stale; // rolled back by tx: someone else changed the entry meanwhile

    const bool sameAsBefore = entry.status == outcome.status && entry.errorMessage == outcome.message;
    if (!sameAsBefore || outcome.status == LeadStatus::Processed) {
        const QString text = outcome.historyText.isEmpty() ? outcome.message : outcome.historyText;
        if (!appendHistory(entry.id, at, actor, entry.status, outcome.status,
                           text.isEmpty() ? QStringLiteral("Processed") : text, error))
            return WriteResult::Failed;
    }
    if (!tx.commit()) {
        *error = tx.errorText();
        return WriteResult::Failed;
    }
    return WriteResult::Written;
}

bool ProcessingStore::markLoss(const QString &leadgenId, const QString &reason, const QString &actor,
                               QString *error)
{
    if (reason.trimmed().isEmpty()) {
        *error = QStringLiteral("Give a reason for marking the lead as Loss.");
        return false;
    }
    LeadLogStore store(m_db);
    const auto entry = store.find(leadgenId, error);
    if (!entry)
        return false;
    if (entry->status == LeadStatus::Pending) {
        *error = QStringLiteral("Lead %1 is being processed (Pending); wait until it has a result.")
                     .arg(leadgenId);
        return false;
    }
    if (entry->status == LeadStatus::Loss) {
        *error = QStringLiteral("Lead %1 is already marked as Loss.").arg(leadgenId);
        return false;
    }
    WriteTransaction tx(m_db);
    if (!tx.isOpen()) {
        *error = tx.errorText();
        return false;
    }
    const qint64 at = qMax(now(), entry->updatedAtMs + 1);
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE lead_log SET status = 'loss', updated_at = ? WHERE id = ? AND "
                             "updated_at = ?"));
    u.addBindValue(at);
    u.addBindValue(entry->id);
    u.addBindValue(entry->updatedAtMs);
    if (!u.exec() || u.numRowsAffected() != 1) {
        *error = u.lastError().text().isEmpty()
                     ? QStringLiteral("Lead %1 changed meanwhile; try again.").arg(leadgenId)
                     : u.lastError().text();
        return false;
    }
    if (!appendHistory(entry->id, at, actor, entry->status, LeadStatus::Loss,
                       QStringLiteral("Marked as Loss: %1").arg(reason.trimmed()), error))
        return false;
    if (!tx.commit()) {
        *error = tx.errorText();
        return false;
    }
    return true;
}

bool ProcessingStore::restoreFromLoss(const QString &leadgenId, const QString &actor, QString *error)
{
    LeadLogStore store(m_db);
    const auto entry = store.find(leadgenId, error);
    if (!entry)
        return false;
    if (entry->status != LeadStatus::Loss) {
        *error = QStringLiteral("Lead %1 is not marked as Loss (it is %2).")
                     .arg(leadgenId, statusLabel(entry->status));
        return false;
    }
    LeadStatus previous = LeadStatus::Error;
    const QList<HistoryEvent> events = store.history(entry->id, error);
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (it->to == LeadStatus::Loss && it->from) {
            previous = *it->from;
            break;
        }
    }
    WriteTransaction tx(m_db);
    if (!tx.isOpen()) {
        *error = tx.errorText();
        return false;
    }
    const qint64 at = qMax(now(), entry->updatedAtMs + 1);
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE lead_log SET status = ?, updated_at = ? WHERE id = ? AND "
                             "updated_at = ?"));
    u.addBindValue(statusKey(previous));
    u.addBindValue(at);
    u.addBindValue(entry->id);
    u.addBindValue(entry->updatedAtMs);
    if (!u.exec() || u.numRowsAffected() != 1) {
        *error = QStringLiteral("Lead %1 changed meanwhile; try again.").arg(leadgenId);
        return false;
    }
    if (!appendHistory(entry->id, at, actor, LeadStatus::Loss, previous,
                       QStringLiteral("Restored from Loss"), error))
        return false;
    if (!tx.commit()) {
        *error = tx.errorText();
        return false;
    }
    return true;
}

bool ProcessingStore::addCorrection(const QString &leadgenId, const QString &target,
                                    const QString &value, const QString &author, QString *error)
{
    if (!target.startsWith(QLatin1String("field:")) && !target.startsWith(QLatin1String("question:"))) {
        *error = QStringLiteral("A correction names a Lead field (field:phone) or a question key "
                                "(question:phone_number), not \"%1\".")
                     .arg(target);
        return false;
    }
    LeadLogStore store(m_db);
    const auto entry = store.find(leadgenId, error);
    if (!entry)
        return false;
    QList<Correction> list = Correction::fromJson(entry->corrections);
    const qint64 at = qMax(now(), entry->updatedAtMs + 1);
    list.append(Correction{target, value, author, at});
    WriteTransaction tx(m_db);
    if (!tx.isOpen()) {
        *error = tx.errorText();
        return false;
    }
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE lead_log SET corrections = ?, updated_at = ? WHERE id = ? AND "
                             "updated_at = ?"));
    u.addBindValue(QString::fromUtf8(Correction::toJson(list)));
    u.addBindValue(at);
    u.addBindValue(entry->id);
    u.addBindValue(entry->updatedAtMs);
    if (!u.exec() || u.numRowsAffected() != 1) {
        *error = QStringLiteral("Lead %1 changed meanwhile; try again.").arg(leadgenId);
        return false;
    }
    if (!appendHistory(entry->id, at, author, entry->status, entry->status,
                       QStringLiteral("Corrected %1 to \"%2\"").arg(target, value), error))
        return false;
    if (!tx.commit()) {
        *error = tx.errorText();
        return false;
    }
    return true;
}

QList<qint64> ProcessingStore::reprocessable(const QList<LeadStatus> &statuses, const QString &pageId,
                                             const QString &formId, const QStringList &leadgenIds,
                                             QString *error)
{
    QStringList where = {QStringLiteral("status NOT IN ('pending', 'processed')")};
    QVariantList binds;
    if (!statuses.isEmpty()) {
        QStringList marks;
        for (LeadStatus s : statuses) {
            marks << QStringLiteral("?");
            binds << statusKey(s);
        }
        where << QStringLiteral("status IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    if (!pageId.isEmpty()) {
        where << QStringLiteral("page_id = ?");
        binds << pageId;
    }
    if (!formId.isEmpty()) {
        where << QStringLiteral("form_id = ?");
        binds << formId;
    }
    if (!leadgenIds.isEmpty()) {
        QStringList marks;
        for (const QString &id : leadgenIds) {
            marks << QStringLiteral("?");
            binds << id;
        }
        where << QStringLiteral("leadgen_id IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id FROM lead_log WHERE %1 ORDER BY received_at, id")
                  .arg(where.join(QStringLiteral(" AND "))));
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    QList<qint64> ids;
    if (!q.exec()) {
        *error = q.lastError().text();
        return ids;
    }
    while (q.next())
        ids << q.value(0).toLongLong();
    return ids;
}

} // namespace leadkeeper
