#pragma once

#include "store/lead_log_query.h"

#include <QHash>
#include <QString>

namespace leadkeeper {

/**
 * The desk's filter in words, for a person: "Error leads matching “mustermann”, from Instagram,
 * received on 2025-11-22". Used where an action on "the leads the filter shows" asks to be
 * confirmed, so the user reads what they chose rather than a query.
 *
 * Pages and forms are named by `pageNames` / `formNames` (Meta id → name) where known, else by
 * their id. Dates are whole local days, as the filter bar sets them. Plain text.
 */
QString describeDeskFilter(const DeskFilter &filter, const QHash<QString, QString> &pageNames = {},
                           const QHash<QString, QString> &formNames = {});

} // namespace leadkeeper
