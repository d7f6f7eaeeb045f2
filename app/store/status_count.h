#pragma once

#include "store/lead_status.h"

#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * How many lead log entries have one status, for the tray badge and notifications. A blocking
 * query that opens its own connection: run it on a worker thread (DESIGN.md §7). It reads the
 * counters table the triggers keep exact, so it costs the same for ten leads or a million.
 */
class StatusCount
{
public:
    /// nullopt with *error set when the store cannot be read.
    static std::optional<int> count(const QString &databasePath, LeadStatus status, QString *error);
};

} // namespace leadkeeper
