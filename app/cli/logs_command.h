#pragma once

#include <QStringList>

namespace leadkeeper {
struct LeadLogEntry;
}

#include <nlohmann/json.hpp>

namespace leadkeeper::cli {

/// `leadkeeper logs`: lists lead log entries, newest first.
int runLogs(const QStringList &arguments);

/// The CLI's (and exports') view of one entry: ids as strings, times as ISO 8601 UTC.
nlohmann::json entryToJson(const LeadLogEntry &entry);

} // namespace leadkeeper::cli
