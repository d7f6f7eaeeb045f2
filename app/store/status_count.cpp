#include "status_count.h"

#include "store/database.h"

#include <QSqlError>
#include <QSqlQuery>

namespace leadkeeper {

std::optional<int> StatusCount::count(const QString &databasePath, LeadStatus status, QString *error)
{
    Database::Options options;
    options.createIfMissing = false;
    auto db = Database::open(databasePath, options, error);
    if (!db)
        return std::nullopt;
    QSqlQuery q(db->sql());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE status = ?"));
    q.addBindValue(statusKey(status));
    if (!q.exec() || !q.next()) {
        *error = QStringLiteral("Leads cannot be counted: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    const int n = q.value(0).toInt();
    q.finish();
    return n;
}

} // namespace leadkeeper
