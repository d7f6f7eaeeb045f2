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
    // The per-status counters the triggers keep exact (migration 002): one row read, however
    // many leads have that status.
    q.prepare(QStringLiteral("SELECT IFNULL((SELECT n FROM lead_log_counts WHERE status = ?), 0)"));
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
