#include "lead_log_query.h"

#include "desk_sql.h"
#include "processing_store.h"
#include "processing/phone_normalizer.h"

#include <QSqlQuery>

namespace leadkeeper {

using namespace desk_sql;

bool DeskFilter::isCountedByStatus() const
{
    return !source && platform.isEmpty() && pageId.isEmpty() && formId.isEmpty() && !organic &&
           !receivedFromMs && !receivedToMs && !createdFromMs && !createdToMs &&
           LeadLogQuery::ftsQuery(text).isEmpty();
}

// What a read reads from: a table (the log or its match set), the columns of its key in the
// order's index (the id last), and the conditions of the filter on that table.
struct LeadLogQuery::Source
{
    QString table;
    QStringList key;
    QStringList where;
    QVariantList binds;
};

LeadLogQuery::LeadLogQuery(QSqlDatabase db) : m_db(std::move(db)) {}

LeadLogQuery::~LeadLogQuery() = default;

QString LeadLogQuery::ftsQuery(const QString &text, const QStringList &phoneRegions)
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
    if (phoneLike && digits.size() >= 3) {
        // Stored phones are E.164 digits (processed leads) or as typed: the digits as they are,
        // or typed the way the number is dialled at home, with a region's country code.
        QStringList prefixes{digits};
        if (!trimmed.startsWith(QLatin1Char('+')) && !trimmed.startsWith(QLatin1String("00")))
            for (const QString &region : phoneRegions) {
                const QString international = PhoneNormalizer::internationalDigits(digits, region);
                if (!international.isEmpty() && !prefixes.contains(international))
                    prefixes << international;
            }
        QStringList terms;
        for (const QString &p : std::as_const(prefixes))
            terms << QStringLiteral("\"%1\"*").arg(p);
        // A phone stored as the person typed it ("0151 234 567") is several words: the typed
        // groups of digits as a phrase find it when grouped the same way.
        QStringList groups;
        QString group;
        for (QChar c : trimmed + QLatin1Char(' ')) {
            if (c.isDigit()) {
                group += c;
            } else if (!group.isEmpty()) {
                groups << group;
                group.clear();
            }
        }
        if (groups.size() > 1)
            terms << QStringLiteral("\"%1\"*").arg(groups.join(QLatin1Char(' ')));
        return terms.join(QStringLiteral(" OR "));
    }

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
    auto src = source(filter, sort, error);
    if (!src)
        return std::nullopt;
    const bool descending = sort.descending != fromEnd;
    if (start.key)
        addKeyCondition(src->where, src->binds, src->key, *start.key, descending, start.inclusive);
    src->binds << limit << qMax<qint64>(0, offset);

    // The page is chosen in the index alone (a covering scan makes OFFSET cheap), then joined;
    // its key comes from where it was chosen (the match set's key may be older than the row).
    const QStringList aliases = matchColumns(src->key.size());
    QStringList selected;
    for (qsizetype c = 0; c < aliases.size(); ++c)
        selected << QStringLiteral("%1 AS %2").arg(src->key.at(c), aliases.at(c));
    const QStringList outer = matchColumns(src->key.size(), QStringLiteral("k."));
    const QString sql =
        QStringLiteral(
            "SELECT l.id, l.leadgen_id, l.received_at, l.created_at, l.status, l.display_name, "
            "l.display_phone, l.display_email, l.page_id, pc.name, l.form_id, fm.form_name, "
            "l.source, l.platform, l.organic, l.error_message, l.deliveries, l.updated_at, %1 "
            "FROM (SELECT %2 FROM %3%4 ORDER BY %5 LIMIT ? OFFSET ?) AS k "
            "JOIN lead_log l ON l.id = %6 "
            "LEFT JOIN page_configs pc ON pc.page_id = l.page_id "
            "LEFT JOIN form_mappings fm ON fm.page_config_id = pc.id AND fm.form_id = l.form_id "
            "ORDER BY %7")
            .arg(outer.join(QStringLiteral(", ")), selected.join(QStringLiteral(", ")), src->table,
                 whereSql(src->where), orderBy(src->key, descending), outer.last(),
                 orderBy(outer, sort.descending));
    QSqlQuery q(m_db);
    if (!run(q, sql, src->binds, error))
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
    auto src = source(filter, sort, error);
    if (!src)
        return std::nullopt;
    if (start.key)
        addKeyCondition(src->where, src->binds, src->key, *start.key, sort.descending,
                        start.inclusive);
    QSqlQuery q(m_db);
    if (!run(q,
             QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 LIMIT 1 OFFSET ?")
                 .arg(src->key.join(QStringLiteral(", ")), src->table, whereSql(src->where),
                      orderBy(src->key, sort.descending)),
             src->binds + QVariantList{step}, error))
        return std::nullopt;
    Step result;
    if (q.next()) {
        QVariantList key;
        for (qsizetype c = 0; c < src->key.size(); ++c)
            key << q.value(int(c));
        result.key = key;
        return result;
    }
    const auto after = countAtMost(q, src->table, src->where, src->binds, step, error);
    if (!after)
        return std::nullopt;
    result.rowsAfter = *after;
    return result;
}

std::optional<qint64> LeadLogQuery::countBefore(const DeskFilter &filter, const DeskSort &sort,
                                                const QVariantList &key, qint64 limit,
                                                QString *error)
{
    auto src = source(filter, sort, error);
    if (!src)
        return std::nullopt;
    addKeyCondition(src->where, src->binds, src->key, key, !sort.descending, false);
    QSqlQuery q(m_db);
    return countAtMost(q, src->table, src->where, src->binds, limit, error);
}

bool LeadLogQuery::usesMatchSet(const DeskFilter &filter)
{
    return !ftsQuery(filter.text).isEmpty();
}

std::optional<qint64> LeadLogQuery::knownTotal(const DeskFilter &filter, const DeskSort &sort,
                                               QString *error)
{
    if (usesMatchSet(filter)) {
        if (!source(filter, sort, error) || !hasCompleteMatches(filter, sort))
            return std::nullopt;
        return m_matches->count;
    }
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

QStringList LeadLogQuery::phoneRegions()
{
    QStringList regions;
    if (!m_defaultPhoneRegion.isEmpty())
        regions << m_defaultPhoneRegion.toUpper();
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT DISTINCT UPPER(default_region) FROM page_configs "
                              "WHERE default_region <> ''")))
        while (q.next())
            if (!regions.contains(q.value(0).toString()))
                regions << q.value(0).toString();
    return regions;
}

bool LeadLogQuery::prepareMatches(const DeskFilter &filter, const DeskSort &sort, bool complete,
                                  QString *error)
{
    if (!usesMatchSet(filter))
        return true;
    m_matches.reset();
    // FTS5 hands the ids over in rowid order: the table grows at its end.
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("DROP TABLE IF EXISTS temp.desk_matches"), {}, error) ||
        !run(q, QStringLiteral("DROP TABLE IF EXISTS temp.desk_match_ids"), {}, error) ||
        !run(q, QStringLiteral("CREATE TEMP TABLE desk_match_ids (id INTEGER PRIMARY KEY)"), {},
             error) ||
        !run(q,
             QStringLiteral("INSERT INTO temp.desk_match_ids SELECT rowid FROM lead_log_fts "
                            "WHERE lead_log_fts MATCH ?"),
             {ftsQuery(filter.text, phoneRegions())}, error))
        return false;
    m_matches = MatchSet{filter, q.numRowsAffected(), std::nullopt, 0};
    if (!complete && m_matches->textMatches > kEagerKeys)
        return true;
    return completeMatches(filter, sort, error);
}

bool LeadLogQuery::completeMatches(const DeskFilter &filter, const DeskSort &sort, QString *error)
{
    if (!usesMatchSet(filter) || hasCompleteMatches(filter, sort))
        return true;
    if (!m_matches || m_matches->filter != filter)
        return prepareMatches(filter, sort, true, error);
    const QStringList key = keyColumns(sort.key);
    const QStringList columns = matchColumns(key.size());
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, filter, TextMatch::MatchIds);
    // One lookup per text match (the key is in the entry), inserted in key order.
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("DROP TABLE IF EXISTS temp.desk_matches"), {}, error) ||
        !run(q,
             QStringLiteral("CREATE TEMP TABLE desk_matches (%1, PRIMARY KEY (%1)) WITHOUT ROWID")
                 .arg(columns.join(QStringLiteral(", "))),
             {}, error) ||
        !run(q,
             QStringLiteral("INSERT INTO temp.desk_matches SELECT %1 FROM lead_log%2 ORDER BY %3")
                 .arg(key.join(QStringLiteral(", ")), whereSql(where), orderBy(key, false)),
             binds, error))
        return false;
    m_matches->keysSort = sort;
    m_matches->count = q.numRowsAffected();
    return true;
}

bool LeadLogQuery::hasCompleteMatches(const DeskFilter &filter, const DeskSort &sort) const
{
    return m_matches && m_matches->filter == filter && m_matches->keysSort == sort;
}

std::optional<LeadLogQuery::Source> LeadLogQuery::source(const DeskFilter &filter,
                                                         const DeskSort &sort, QString *error)
{
    const QStringList key = keyColumns(sort.key);
    Source src{QStringLiteral("lead_log"), key, {}, {}};
    if (!usesMatchSet(filter)) {
        addFilter(src.where, src.binds, filter);
        return src;
    }
    if ((!m_matches || m_matches->filter != filter) && !prepareMatches(filter, sort, false, error))
        return std::nullopt;
    if (hasCompleteMatches(filter, sort))
        return Source{QStringLiteral("temp.desk_matches"), matchColumns(key.size()), {}, {}};
    addFilter(src.where, src.binds, filter, TextMatch::ProbeMatchIds);
    return src;
}

std::optional<QList<qint64>> LeadLogQuery::reprocessableIds(const DeskFilter &filter,
                                                            QString *error)
{
    DeskFilter allowed = filter;
    allowed.statuses.clear();
    for (LeadStatus s : kAllStatuses)
        if (ProcessingStore::canReprocess(s) && (filter.statuses.isEmpty() || filter.statuses.contains(s)))
            allowed.statuses << s;
    if (allowed.statuses.isEmpty())
        return QList<qint64>{};
    QStringList where;
    QVariantList binds;
    addFilter(where, binds, allowed, TextMatch::Fts, phoneRegions());
    QSqlQuery q(m_db);
    if (!run(q,
             QStringLiteral("SELECT id FROM lead_log%1 ORDER BY received_at, id").arg(whereSql(where)),
             binds, error))
        return std::nullopt;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    return ids;
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
