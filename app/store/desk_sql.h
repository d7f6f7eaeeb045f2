#pragma once

#include "lead_log_query.h"

#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

/**
 * The SQL that LeadLogQuery builds its reads from. addFilter() is the one WHERE builder of a
 * DeskFilter: the lead list, its counts and match sets, and the bulk job's selection
 * ("Process all matching") all take their conditions from it, so they cannot disagree. The rest
 * are the key columns and keyset conditions of the desk's orders (each backed by an index ending
 * in id, migrations 001 and 002).
 */
namespace leadkeeper::desk_sql {

/// The key of each order, in the columns of its index; id breaks ties (and comes last).
QStringList keyColumns(DeskSortKey key, const QString &prefix = {});
/// The columns of a match set for a key of `n` columns: k0, k1, ... (the last one is the id).
QStringList matchColumns(qsizetype n, const QString &prefix = {});
/// "c1 DESC, c2 DESC" (or ASC).
QString orderBy(const QStringList &columns, bool descending);

/// Rows after (or at, when `inclusive`) `key` in an order running `descending`.
void addKeyCondition(QStringList &where, QVariantList &binds, const QStringList &columns,
                     const QVariantList &key, bool descending, bool inclusive);

// How the filter's text is matched: FTS5 finds the entries (and drives the scan), or the ids it
// found before (temp.desk_match_ids) drive it, or each entry of the order's index is looked up
// in them ("+id" keeps the planner from driving the scan by the ids: the order's index does).
enum class TextMatch { Fts, MatchIds, ProbeMatchIds };

/// Appends the conditions of `filter` (all must hold) and their bound values; a phone number in
/// its text is looked for with the country codes of `phoneRegions` too (LeadLogQuery::ftsQuery).
void addFilter(QStringList &where, QVariantList &binds, const DeskFilter &filter,
               TextMatch textMatch = TextMatch::Fts, const QStringList &phoneRegions = {});
/// " WHERE a AND b", or nothing.
QString whereSql(const QStringList &where);

/// Prepares and runs `sql` forward-only; false with `error` set when the log cannot be read.
bool run(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error);
/// Rows of `table` matching `where`, counted up to `limit` (a COUNT that stops there).
std::optional<qint64> countAtMost(QSqlQuery &q, const QString &table, const QStringList &where,
                                  const QVariantList &binds, qint64 limit, QString *error);

} // namespace leadkeeper::desk_sql
