#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace leadkeeper {

/// A stored Lead (DESIGN.md §5, "normalized backend shape").
struct StoredLead
{
    qint64 id = 0;
    QString leadgenId;
    QString customerName, firstName, lastName, phone, email, city;
    QByteArray standardFields, customFields, attribution; ///< JSON objects
    QString source;
    std::optional<qint64> createdAtMs;
    QString lifecycleStage;
    qint64 updatedAtMs = 0;
};

/// Reads the Leads that processing wrote (one per leadgen id). Uses the caller's connection.
class LeadStore
{
public:
    explicit LeadStore(QSqlDatabase db);
    /// Newest first; pageId filters on the attribution's page.
    std::optional<QList<StoredLead>> list(int limit, QString *error);
    std::optional<StoredLead> byLeadgenId(const QString &leadgenId, QString *error);

private:
    QSqlDatabase m_db;
};

} // namespace leadkeeper
