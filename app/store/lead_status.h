#pragma once

#include <QString>

#include <array>
#include <optional>

namespace leadkeeper {

/// The statuses of DESIGN.md §4, in the order the desk lists them.
enum class LeadStatus { Pending, Unconfigured, Disabled, Processed, Error, Loss };

inline constexpr std::array kAllStatuses = {LeadStatus::Pending,   LeadStatus::Unconfigured,
                                            LeadStatus::Disabled,  LeadStatus::Processed,
                                            LeadStatus::Error,     LeadStatus::Loss};

/// Stored form: "pending", "unconfigured", ...
QString statusKey(LeadStatus status);
/// Shown form: "Pending", "Unconfigured", ...
QString statusLabel(LeadStatus status);
/// Accepts the stored form or the label, any case.
std::optional<LeadStatus> statusFromKey(const QString &text);

/// Where a lead log entry came from (DESIGN.md §3).
enum class LeadSource { Webhook, Import, Polling, Api };
QString sourceKey(LeadSource source);
std::optional<LeadSource> sourceFromKey(const QString &text);

} // namespace leadkeeper
