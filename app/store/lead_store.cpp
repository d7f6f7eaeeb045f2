#include "lead_store.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace leadkeeper {

namespace {

const char *kColumns = "id, leadgen_id, customer_name, first_name, last_name, phone, email, city, "
                       "standard_fields, custom_fields, attribution, source, created_at, "
                       "lifecycle_stage, updated_at";

StoredLead fromRecord(const QSqlQuery &q)
{
    StoredLead l;
    l.id = q.value(0).toLongLong();
    l.leadgenId = q.value(1).toString();
    l.customerName = q.value(2).toString();
    l.firstName = q.value(3).toString();
    l.lastName = q.value(4).toString();
    l.phone = q.value(5).toString();
    l.email = q.value(6).toString();
    l.city = q.value(7).toString();
    l.standardFields = q.value(8).toString().toUtf8();
    l.customFields = q.value(9).toString().toUtf8();
    l.attribution = q.value(10).toString().toUtf8();
    l.source = q.value(11).toString();
    if (!q.value(12).isNull())
        l.createdAtMs = q.value(12).toLongLong();
    l.lifecycleStage = q.value(13).toString();
    l.updatedAtMs = q.value(14).toLongLong();
    return l;
}

} // namespace

LeadStore::LeadStore(QSqlDatabase db) : m_db(std::move(db)) {}

std::optional<QList<StoredLead>> LeadStore::list(int limit, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM leads ORDER BY updated_at DESC, id DESC LIMIT ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(limit);
    if (!q.exec()) {
        *error = QStringLiteral("The Leads cannot be read: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    QList<StoredLead> leads;
    while (q.next())
        leads << fromRecord(q);
    return leads;
}

std::optional<StoredLead> LeadStore::byLeadgenId(const QString &leadgenId, QString *error)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM leads WHERE leadgen_id = ?").arg(QLatin1String(kColumns)));
    q.addBindValue(leadgenId);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next()) {
        *error = QStringLiteral("No Lead was made from leadgen id %1.").arg(leadgenId);
        return std::nullopt;
    }
    return fromRecord(q);
}

} // namespace leadkeeper
