#include "processing_store.h"

#include "lead_log_store.h"
#include "write_transaction.h"
#include "processing/lead_field.h"
#include "processing/mapping_types.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

// A correction's target as staff call it: "Phone" (a Lead field), "question “phone_number”".
QString correctionTargetLabel(const QString &target)
{
    const QString field = QStringLiteral("field:");
    const QString question = QStringLiteral("question:");
    if (target.startsWith(field))
        return LeadField::label(target.mid(field.size()));
    if (target.startsWith(question))
        return QStringLiteral("question “%1”").arg(target.mid(question.size()));
    return target;
}

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

QSqlQuery *ProcessingStore::statement(Statement which, QString *error)
{
    std::optional<QSqlQuery> &slot = m_statements[which];
    if (slot) {
        slot->finish(); // a reader left open by an early return would hold its snapshot
        return &*slot;
    }
    QString sql;
    switch (which) {
    case Due:
        sql = QStringLiteral("SELECT %1 FROM lead_log WHERE status = 'pending' AND "
                             "(next_attempt_at IS NULL OR next_attempt_at <= ?) "
                             "ORDER BY received_at, id LIMIT ?")
                  .arg(LeadLogStore::entryColumns());
        break;
    case ById:
        sql = QStringLiteral("SELECT %1 FROM lead_log WHERE id = ?").arg(LeadLogStore::entryColumns());
        break;
    case FindLead:
        sql = QStringLiteral("SELECT id FROM leads WHERE leadgen_id = ?");
        break;
    case UpdateLead:
        sql = QStringLiteral("UPDATE leads SET customer_name = ?, first_name = ?, last_name = ?, "
                             "phone = ?, email = ?, city = ?, standard_fields = ?, custom_fields = ?, "
                             "attribution = ?, created_at = ?, updated_at = ? WHERE id = ?");
        break;
    case InsertLead:
        sql = QStringLiteral("INSERT INTO leads (customer_name, first_name, last_name, phone, email, "
                             "city, standard_fields, custom_fields, attribution, created_at, "
                             "updated_at, leadgen_id, source, lifecycle_stage) VALUES (?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?, 'meta_ads', 'new')");
        break;
    case InsertOutbox:
        sql = QStringLiteral("INSERT INTO outbox (lead_id, kind, payload, created_at) VALUES "
                             "(?, 'call_dispatch', ?, ?)");
        break;
    case UpdateEntry:
        sql = QStringLiteral(
            "UPDATE lead_log SET status = ?, error_message = ?, field_errors = ?, attempts = ?, "
            "next_attempt_at = ?, page_config_id = ?, form_mapping_id = ?, lead_id = ?, "
            "lead_payload = COALESCE(?, lead_payload), platform = CASE WHEN ? = '' THEN platform "
            "ELSE ? END, organic = COALESCE(?, organic), updated_at = ? WHERE id = ? AND "
            "updated_at = ?");
        break;
    case InsertHistory:
        sql = QStringLiteral("INSERT INTO lead_log_history (lead_log_id, at, actor, from_status, "
                             "to_status, message) VALUES (?, ?, ?, ?, ?, ?)");
        break;
    case StatementCount:
        break;
    }
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        *error = q.lastError().text();
        return nullptr;
    }
    slot = std::move(q);
    return &*slot;
}

QList<LeadLogEntry> ProcessingStore::due(qint64 nowMs, int limit, QString *error)
{
    QList<LeadLogEntry> entries;
    QSqlQuery *q = statement(Due, error);
    if (!q)
        return entries;
    q->bindValue(0, nowMs);
    q->bindValue(1, limit);
    if (!q->exec()) {
        *error = q->lastError().text();
        return entries;
    }
    while (q->next())
        entries << LeadLogStore::entryFromRecord(*q);
    q->finish();
    return entries;
}

std::optional<LeadLogEntry> ProcessingStore::byId(qint64 id, QString *error)
{
    QSqlQuery *q = statement(ById, error);
    if (!q)
        return std::nullopt;
    q->bindValue(0, id);
    if (!q->exec()) {
        *error = q->lastError().text();
        return std::nullopt;
    }
    if (!q->next()) {
        *error = QStringLiteral("Lead log entry %1 does not exist.").arg(id);
        q->finish();
        return std::nullopt;
    }
    LeadLogEntry entry = LeadLogStore::entryFromRecord(*q);
    q->finish();
    return entry;
}

bool ProcessingStore::appendHistory(qint64 entryId, qint64 atMs, const QString &actor,
                                    std::optional<LeadStatus> from, LeadStatus to,
                                    const QString &message, QString *error)
{
    QSqlQuery *q = statement(InsertHistory, error);
    if (!q)
        return false;
    q->bindValue(0, entryId);
    q->bindValue(1, atMs);
    q->bindValue(2, actor);
    q->bindValue(3, from ? QVariant(statusKey(*from)) : QVariant(QMetaType::fromType<QString>()));
    q->bindValue(4, statusKey(to));
    q->bindValue(5, nonNull(message));
    if (!q->exec()) {
        *error = q->lastError().text();
        return false;
    }
    return true;
}

ProcessingStore::WriteResult ProcessingStore::writeOutcome(const LeadLogEntry &entry,
                                                           const ProcessingOutcome &outcome,
                                                           const QString &actor, QString *error)
{
    auto failed = [error](QSqlQuery *q) {
        if (q)
            *error = q->lastError().text();
        return WriteResult::Failed;
    };
    WriteTransaction tx(m_db);
    if (!tx.isOpen()) {
        *error = tx.errorText();
        return WriteResult::Failed;
    }
    const qint64 at = qMax(now(), entry.updatedAtMs + 1); // updated_at is the entry's version
    std::optional<qint64> leadId = entry.leadId;

    if (outcome.lead) {
        const ProcessingOutcome::LeadRow &l = *outcome.lead;
        QSqlQuery *find = statement(FindLead, error);
        if (!find)
            return WriteResult::Failed;
        find->bindValue(0, entry.leadgenId);
        if (!find->exec())
            return failed(find);
        const bool exists = find->next();
        const qint64 existingId = exists ? find->value(0).toLongLong() : 0;
        find->finish();
        QSqlQuery *w = statement(exists ? UpdateLead : InsertLead, error);
        if (!w)
            return WriteResult::Failed;
        int i = 0;
        for (const QString *s : {&l.customerName, &l.firstName, &l.lastName, &l.phone, &l.email, &l.city})
            w->bindValue(i++, nonNull(*s));
        w->bindValue(i++, QString::fromUtf8(l.standardFields));
        w->bindValue(i++, QString::fromUtf8(l.customFields));
        w->bindValue(i++, QString::fromUtf8(l.attribution));
        w->bindValue(i++, nullableInt(l.createdAtMs));
        w->bindValue(i++, at);
        w->bindValue(i++, exists ? QVariant(existingId) : QVariant(entry.leadgenId));
        if (!w->exec())
            return failed(w);
        leadId = exists ? existingId : w->lastInsertId().toLongLong();
        if (!exists) {
            // Follow-up actions go out through the outbox, queued with the Lead they concern.
            QSqlQuery *o = statement(InsertOutbox, error);
            if (!o)
                return WriteResult::Failed;
            o->bindValue(0, *leadId);
            o->bindValue(1, QString::fromStdString(
                                nlohmann::json{{"leadgen_id", entry.leadgenId.toStdString()},
                                               {"to_number", l.phone.toStdString()}}
                                    .dump()));
            o->bindValue(2, at);
            if (!o->exec())
                return failed(o);
        }
    }

    QSqlQuery *u = statement(UpdateEntry, error);
    if (!u)
        return WriteResult::Failed;
    u->bindValue(0, statusKey(outcome.status));
    u->bindValue(1, nonNull(outcome.message));
    u->bindValue(2, QString::fromUtf8(outcome.fieldErrors.isEmpty() ? QByteArray("[]") : outcome.fieldErrors));
    u->bindValue(3, outcome.attempts);
    u->bindValue(4, nullableInt(outcome.nextAttemptAtMs));
    u->bindValue(5, nullableInt(outcome.pageConfigId));
    u->bindValue(6, nullableInt(outcome.formMappingId));
    u->bindValue(7, nullableInt(leadId));
    u->bindValue(8, outcome.leadPayload.isNull() ? QVariant(QMetaType::fromType<QString>())
                                                 : QVariant(QString::fromUtf8(outcome.leadPayload)));
    u->bindValue(9, nonNull(outcome.platform));
    u->bindValue(10, nonNull(outcome.platform));
    u->bindValue(11, outcome.organic ? QVariant(*outcome.organic ? 1 : 0) : QVariant(QMetaType::fromType<int>()));
    u->bindValue(12, at);
    u->bindValue(13, entry.id);
    u->bindValue(14, entry.updatedAtMs);
    if (!u->exec())
        return failed(u);
    if (u->numRowsAffected() != 1)
        return WriteResult::Stale; // rolled back by tx: someone else changed the entry meanwhile

    // Automatic retries that change nothing stay out of the history; a person's try does not.
    const bool sameAsBefore = entry.status == outcome.status && entry.errorMessage == outcome.message;
    if (!sameAsBefore || outcome.status == LeadStatus::Processed || outcome.byPerson) {
        QString text = outcome.historyText.isEmpty() ? outcome.message : outcome.historyText;
        if (sameAsBefore && outcome.status != LeadStatus::Processed)
            text = QStringLiteral("Processed again, same result: %1").arg(text);
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
                       QStringLiteral("Corrected %1 to \"%2\"").arg(correctionTargetLabel(target), value),
                       error))
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
