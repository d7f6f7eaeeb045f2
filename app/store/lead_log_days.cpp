// LeadLogQuery::dayStarts(): where each received day begins in the desk's order, from the day
// counters of migration 003 (the rest of LeadLogQuery is in lead_log_query.cpp).

#include "lead_log_query.h"

#include "desk_sql.h"

#include <QMap>
#include <QSqlQuery>

#include <algorithm>
#include <limits>

namespace leadkeeper {

using namespace desk_sql;

bool LeadLogQuery::hasDays(const DeskFilter &filter)
{
    DeskFilter rest = filter;
    rest.receivedFromMs.reset();
    rest.receivedToMs.reset();
    return rest.isCountedByStatus();
}

std::optional<LeadLogQuery::Days> LeadLogQuery::dayStarts(const DeskFilter &filter,
                                                          const DeskSort &sort, QString *error)
{
    const bool byStatus = sort.key == DeskSortKey::Status;
    if (!hasDays(filter) || (!byStatus && sort.key != DeskSortKey::Received))
        return std::nullopt;
    constexpr qint64 kDayMs = 86'400'000;
    // Entries per (status, day) from the counters, the days a received range cuts counted in the
    // log (at most two days' worth of the order's index).
    DeskFilter statuses;
    statuses.statuses = filter.statuses;
    QStringList where{QStringLiteral("n > 0")};
    QVariantList binds;
    addFilter(where, binds, statuses);
    const auto firstDay = filter.receivedFromMs ? std::optional(*filter.receivedFromMs / kDayMs)
                                                : std::nullopt;
    const auto lastDay = filter.receivedToMs ? std::optional((*filter.receivedToMs - 1) / kDayMs)
                                             : std::nullopt;
    if (firstDay) {
        where << QStringLiteral("day >= ?");
        binds << *firstDay;
    }
    if (lastDay) {
        where << QStringLiteral("day <= ?");
        binds << *lastDay;
    }
    // (status, day) in status order, ("", day) in received order: ascending, as SQLite orders
    // the status keys (ASCII) and the days.
    QMap<std::pair<QString, qint64>, qint64> groups;
    const auto add = [&](const QString &status, qint64 day, qint64 n) {
        groups[{byStatus ? status : QString(), day}] += n;
    };
    QSqlQuery q(m_db);
    if (!run(q, QStringLiteral("SELECT status, day, n FROM lead_log_day_counts%1").arg(whereSql(where)),
             binds, error))
        return std::nullopt;
    QList<qint64> cutDays;
    for (const auto day : {firstDay, lastDay}) {
        const bool whole = day &&
                           (!filter.receivedFromMs || *filter.receivedFromMs <= *day * kDayMs) &&
                           (!filter.receivedToMs || *filter.receivedToMs >= (*day + 1) * kDayMs);
        if (day && !whole && !cutDays.contains(*day))
            cutDays << *day;
    }
    while (q.next()) {
        const qint64 day = q.value(1).toLongLong();
        if (!cutDays.contains(day))
            add(q.value(0).toString(), day, q.value(2).toLongLong());
    }
    for (const qint64 day : std::as_const(cutDays)) {
        QStringList cut;
        QVariantList cutBinds;
        addFilter(cut, cutBinds, filter);
        cut << QStringLiteral("received_at >= ?") << QStringLiteral("received_at < ?");
        cutBinds << day * kDayMs << (day + 1) * kDayMs;
        if (!run(q, QStringLiteral("SELECT status, COUNT(*) FROM lead_log%1 GROUP BY status")
                        .arg(whereSql(cut)),
                 cutBinds, error))
            return std::nullopt;
        while (q.next())
            add(q.value(0).toString(), day, q.value(1).toLongLong());
    }
    QList<std::pair<std::pair<QString, qint64>, qint64>> ordered;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        if (it.value() > 0)
            ordered.append({it.key(), it.value()});
    if (sort.descending)
        std::reverse(ordered.begin(), ordered.end());
    // Read inclusively in the order's direction, a day starts at its last millisecond and the
    // largest id (descending), or at its first millisecond and an id below every id (ascending);
    // the filter's range keeps the read inside it.
    Days days;
    for (const auto &[group, n] : std::as_const(ordered)) {
        const auto &[status, day] = group;
        QVariantList key;
        if (byStatus)
            key << status;
        if (sort.descending)
            key << (day + 1) * kDayMs - 1 << std::numeric_limits<qint64>::max();
        else
            key << day * kDayMs << std::numeric_limits<qint64>::min();
        days.starts << DayStart{days.total, key};
        days.total += n;
    }
    return days;
}

} // namespace leadkeeper
