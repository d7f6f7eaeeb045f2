#include "lead_log_query.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace leadkeeper {

namespace {

// The key of each order, in the columns of its index (migrations 001 and 002); id breaks ties.
QStringList keyColumns(DeskSortKey key, const QString &prefix = {})
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

QString orderBy(const QStringList &columns, bool descending)
{
    QStringList parts;
    for (const QString &c : columns)
        parts << c + (descending ? QLatin1String(" DESC") : QLatin1String(" ASC"));
    return parts.join(QStringLiteral(", "));
}

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

// Rows after `key` in an order running `descending`: the row-value comparison says which rows,
// the bound on the first column lets SQLite seek the index instead of scanning from its end.
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

void addFilter(QStringList &where, QVariantList &binds, const DeskFilter &f)
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
    const QString match = LeadLogQuery::ftsQuery(f.text);
    if (!match.isEmpty()) {
        where << QStringLiteral(
            "id IN (SELECT rowid FROM lead_log_fts WHERE lead_log_fts MATCH ?)");
        binds << match;
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

} // namespace

bool DeskFilter::isCountedByStatus() const
{
    return !source && platform.isEmpty() && pageId.isEmpty() && formId.isEmpty() && !organic &&
           !receivedFromMs && !receivedToMs && !createdFromMs && !createdToMs &&
           LeadLogQuery::ftsQuery(text).isEmpty();
}

LeadLogQuery::LeadLogQuery(QSqlDatabase db) : m_db(std::move(db)) {}

QString LeadLogQuery::ftsQuery(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    // A phone number typed with spaces or dashes is one number: the index holds it as digits.
    static const QString phoneChars = QStringLiteral("0123456789+-()/. ");
    bool phoneLike = true;
    QString digits;
    for (QChar c : trimmed) {
        if (!phoneChars.contains(c)) {
            phoneLike = false;
            break;
        }
        if (c.isDigit())
            digits += c;
    }
    if (phoneLike && digits.size() >= 3)
        return QStringLiteral("\"%1\"*").arg(digits);

    QStringList phrases;
    const QStringList words = trimmed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString word : words) {
        if (std::none_of(word.cbegin(), word.cend(), [](QChar c) { return c.isLetterOrNumber(); }))
            continue; // no token in it: FTS5 would have nothing to look for
        word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        phrases << QStringLiteral("\"%1\"*").arg(word);
    }
    return phrases.join(QStringLiteral(" AND "));
}

std::optional<QList<DeskRow>> LeadLogQuery::rows(const DeskFilter &filter, const DeskSort &sort,
                                                 const Start &start, qint64 offset, int limit,
                                                 bool fromEnd, QString *error)
{
    const bool descending = sort.descending != fromEnd;
    const QStringList inner = keyColumns(sort.key);
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, filter);
    if (start.key)
        addKeyCondition(where, binds, inner, *start.key, descending, start.inclusive);
    binds << limit << qMax<qint64>(0, offset);

    // The page is chosen in the index alone (a covering scan makes OFFSET cheap), then joined.
    const QStringList outer = keyColumns(sort.key, QStringLiteral("l."));
    const QString sql =
        QStringLiteral(
            "SELECT l.id, l.leadgen_id, l.received_at, l.created_at, l.status, l.display_name, "
            "l.display_phone, l.display_email, l.page_id, pc.name, l.form_id, fm.form_name, "
            "l.source, l.platform, l.organic, l.error_message, l.deliveries, l.updated_at, %1 "
            "FROM (SELECT id FROM lead_log%2 ORDER BY %3 LIMIT ? OFFSET ?) AS k "
            "JOIN lead_log l ON l.id = k.id "
            "LEFT JOIN page_configs pc ON pc.page_id = l.page_id "
            "LEFT JOIN form_mappings fm ON fm.page_config_id = pc.id AND fm.form_id = l.form_id "
            "ORDER BY %4")
            .arg(outer.join(QStringLiteral(", ")), whereSql(where), orderBy(inner, descending),
                 orderBy(outer, sort.descending));
    QSqlQuery q(m_db);
    if (!run(q, sql, binds, error))
        return std::nullopt;
    QList<DeskRow> rows;
    while (q.next()) {
        DeskRow r;
        r.id = q.value(0).toLongLong();
        r.leadgenId = q.value(1).toString();
        r.receivedAtMs = q.value(2).toLongLong();
        if (!q.value(3).isNull())
            r.createdAtMs = q.value(3).toLongLong();
        r.status = statusFromKey(q.value(4).toString()).value_or(LeadStatus::Pending);
        r.name = q.value(5).toString();
        r.phone = q.value(6).toString();
        r.email = q.value(7).toString();
        r.pageId = q.value(8).toString();
        r.pageName = q.value(9).toString();
        r.formId = q.value(10).toString();
        r.formName = q.value(11).toString();
        r.source = sourceFromKey(q.value(12).toString()).value_or(LeadSource::Webhook);
        r.platform = q.value(13).toString();
        r.organic = q.value(14).toInt() != 0;
        r.errorMessage = q.value(15).toString();
        r.deliveries = q.value(16).toInt();
        r.updatedAtMs = q.value(17).toLongLong();
        for (qsizetype c = 0; c < outer.size(); ++c)
            r.key << q.value(int(18 + c));
        rows << std::move(r);
    }
    return rows;
}

std::optional<LeadLogQuery::Step> LeadLogQuery::stepFrom(const DeskFilter &filter,
                                                         const DeskSort &sort, const Start &start,
                                                         qint64 step, QString *error)
{
    const QStringList columns = keyColumns(sort.key);
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, filter);
    if (start.key)
        addKeyCondition(where, binds, columns, *start.key, sort.descending, start.inclusive);
    QSqlQuery q(m_db);
    QVariantList keyBinds = binds;
    keyBinds << step;
    if (!run(q,
             QStringLiteral("SELECT %1 FROM lead_log%2 ORDER BY %3 LIMIT 1 OFFSET ?")
                 .arg(columns.join(QStringLiteral(", ")), whereSql(where),
                      orderBy(columns, sort.descending)),
             keyBinds, error))
        return std::nullopt;
    Step result;
    if (q.next()) {
        QVariantList key;
        for (qsizetype c = 0; c < columns.size(); ++c)
            key << q.value(int(c));
        result.key = key;
        return result;
    }
    binds << step;
    if (!run(q, QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM lead_log%1 LIMIT ?)")
                    .arg(whereSql(where)),
             binds, error) ||
        !q.next())
        return std::nullopt;
    result.rowsAfter = q.value(0).toLongLong();
    return result;
}

std::optional<qint64> LeadLogQuery::countBefore(const DeskFilter &filter, const DeskSort &sort,
                                                const QVariantList &key, qint64 limit,
                                                QString *error)
{
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, filter);
    addKeyCondition(where, binds, keyColumns(sort.key), key, !sort.descending, false);
    binds << limit;
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM lead_log%1 LIMIT ?)")
                    .arg(whereSql(where)),
             binds, error) ||
        !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<qint64> LeadLogQuery::countedTotal(const DeskFilter &filter, QString *error)
{
    if (!filter.isCountedByStatus())
        return std::nullopt;
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, filter);
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT IFNULL(SUM(n), 0) FROM lead_log_counts%1").arg(whereSql(where)),
             binds, error) ||
        !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<QHash<LeadStatus, qint64>> LeadLogQuery::statusCounts(QString *error)
{
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT status, n FROM lead_log_counts"), {}, error))
        return std::nullopt;
    QHash<LeadStatus, qint64> counts;
    for (LeadStatus s : kAllStatuses)
        counts.insert(s, 0);
    while (q.next()) {
        if (const auto s = statusFromKey(q.value(0).toString()))
            counts[*s] += q.value(1).toLongLong();
    }
    return counts;
}

std::optional<qint64> LeadLogQuery::lastReceivedAt(LeadSource source, QString *error)
{
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT MAX(received_at) FROM lead_log WHERE source = ?"),
             {sourceKey(source)}, error) ||
        !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<QList<LeadLogQuery::Choice>> LeadLogQuery::pages(QString *error)
{
    QList<Choice> choices;
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT page_id, name FROM page_configs ORDER BY name, page_id"), {},
             error))
        return std::nullopt;
    QStringList configured;
    while (q.next()) {
        choices << Choice{q.value(0).toString(), q.value(1).toString()};
        configured << choices.last().id;
    }
    // The distinct page ids of the log, one index seek each (no scan of the log).
    QString last;
    for (int i = 0; i < 500; ++i) {
        if (!run(q, QStringLiteral("SELECT MIN(page_id) FROM lead_log WHERE page_id > ?"), {last},
                 error))
            return std::nullopt;
        if (!q.next() || q.value(0).isNull())
            break;
        last = q.value(0).toString();
        if (!configured.contains(last))
            choices << Choice{last, QString()};
    }
    return choices;
}

std::optional<QList<LeadLogQuery::Choice>> LeadLogQuery::forms(QString *error)
{
    QList<Choice> choices;
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT form_id, MAX(form_name) FROM form_mappings GROUP BY form_id "
                               "ORDER BY MAX(form_name), form_id"),
             {}, error))
        return std::nullopt;
    QStringList mapped;
    while (q.next()) {
        choices << Choice{q.value(0).toString(), q.value(1).toString()};
        mapped << choices.last().id;
    }
    QString last;
    for (int i = 0; i < 500; ++i) {
        if (!run(q, QStringLiteral("SELECT MIN(form_id) FROM lead_log WHERE form_id > ?"), {last},
                 error))
            return std::nullopt;
        if (!q.next() || q.value(0).isNull())
            break;
        last = q.value(0).toString();
        if (!mapped.contains(last))
            choices << Choice{last, QString()};
    }
    return choices;
}

} // namespace leadkeeper
