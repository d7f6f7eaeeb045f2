#include "desk_sql.h"

#include <QSqlError>

namespace leadkeeper::desk_sql {

namespace {

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

} // namespace

QStringList keyColumns(DeskSortKey key, const QString &prefix)
{
    switch (key) {
    case DeskSortKey::Received:
        return {prefix + QLatin1String("received_at"), prefix + QLatin1String("id")};
    case DeskSortKey::Created:
        return {QStringLiteral("IFNULL(%1created_at, 0)").arg(prefix), prefix + QLatin1String("id")};
    case DeskSortKey::Status:
        return {prefix + QLatin1String("status"), prefix + QLatin1String("received_at"),
                prefix + QLatin1String("id")};
    case DeskSortKey::Name:
        return {prefix + QLatin1String("display_name"), prefix + QLatin1String("id")};
    }
    return {};
}

QStringList matchColumns(qsizetype n, const QString &prefix)
{
    QStringList columns;
    for (qsizetype i = 0; i < n; ++i)
        columns << QStringLiteral("%1k%2").arg(prefix).arg(i);
    return columns;
}

QString orderBy(const QStringList &columns, bool descending)
{
    QStringList parts;
    for (const QString &c : columns)
        parts << c + (descending ? QLatin1String(" DESC") : QLatin1String(" ASC"));
    return parts.join(QStringLiteral(", "));
}

// The row-value comparison says which rows; the bound on the first column lets SQLite seek the
// index instead of scanning from its end.
void addKeyCondition(QStringList &where, QVariantList &binds, const QStringList &columns,
                     const QVariantList &key, bool descending, bool inclusive)
{
    const QString op = QLatin1String(descending ? "<" : ">") + QLatin1String(inclusive ? "=" : "");
    where << QStringLiteral("%1 %2= ?").arg(columns.first(), QLatin1String(descending ? "<" : ">"));
    binds << key.first();
    where << QStringLiteral("(%1) %2 (%3)")
                 .arg(columns.join(QStringLiteral(", ")), op, placeholders(columns.size()));
    binds << key;
}

void addFilter(QStringList &where, QVariantList &binds, const DeskFilter &f, TextMatch textMatch,
               const QStringList &phoneRegions)
{
    if (f.statuses.size() == 1) {
        where << QStringLiteral("status = ?");
        binds << statusKey(f.statuses.first());
    } else if (!f.statuses.isEmpty()) {
        where << QStringLiteral("status IN (%1)").arg(placeholders(f.statuses.size()));
        for (LeadStatus s : f.statuses)
            binds << statusKey(s);
    }
    if (f.source) {
        where << QStringLiteral("source = ?");
        binds << sourceKey(*f.source);
    }
    if (!f.platform.isEmpty()) {
        where << QStringLiteral("platform = ?");
        binds << f.platform;
    }
    if (!f.pageId.isEmpty()) {
        where << QStringLiteral("page_id = ?");
        binds << f.pageId;
    }
    if (!f.formId.isEmpty()) {
        where << QStringLiteral("form_id = ?");
        binds << f.formId;
    }
    if (f.organic) {
        where << QStringLiteral("organic = ?");
        binds << (*f.organic ? 1 : 0);
    }
    if (f.receivedFromMs) {
        where << QStringLiteral("received_at >= ?");
        binds << *f.receivedFromMs;
    }
    if (f.receivedToMs) {
        where << QStringLiteral("received_at < ?");
        binds << *f.receivedToMs;
    }
    if (f.createdFromMs) {
        where << QStringLiteral("IFNULL(created_at, 0) >= ?");
        binds << *f.createdFromMs;
    }
    if (f.createdToMs) {
        where << QStringLiteral("IFNULL(created_at, 0) < ? AND created_at IS NOT NULL");
        binds << *f.createdToMs;
    }
    const QString match = LeadLogQuery::ftsQuery(f.text, phoneRegions);
    if (match.isEmpty())
        return;
    switch (textMatch) {
    case TextMatch::Fts:
        where << QStringLiteral("id IN (SELECT rowid FROM lead_log_fts WHERE lead_log_fts MATCH ?)");
        binds << match;
        break;
    case TextMatch::MatchIds:
        where << QStringLiteral("id IN (SELECT id FROM temp.desk_match_ids)");
        break;
    case TextMatch::ProbeMatchIds:
        where << QStringLiteral("+id IN (SELECT id FROM temp.desk_match_ids)");
        break;
    }
}

QString whereSql(const QStringList &where)
{
    return where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

bool run(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error)
{
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        *error = QStringLiteral("The lead log cannot be read: %1").arg(q.lastError().text());
        return false;
    }
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        *error = QStringLiteral("The lead log cannot be read: %1").arg(q.lastError().text());
        return false;
    }
    return true;
}

std::optional<qint64> countAtMost(QSqlQuery &q, const QString &table, const QStringList &where,
                                  const QVariantList &binds, qint64 limit, QString *error)
{
    if (!run(q, QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM %1%2 LIMIT ?)")
                    .arg(table, whereSql(where)),
             binds + QVariantList{limit}, error) ||
        !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

} // namespace leadkeeper::desk_sql
