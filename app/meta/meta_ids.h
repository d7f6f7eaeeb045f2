#pragma once

#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace leadkeeper {

/**
 * Meta ids arrive as JSON numbers or strings. They are 15–19 digit integers that a double cannot
 * hold, so they are kept as exact digit strings and never pass through floating point: a number
 * the JSON parser could only read as floating point (a fraction, an exponent, more than 64 bits)
 * is refused rather than rounded. The functions take both nlohmann::json and nlohmann::ordered_json
 * (the latter keeps the key order of what arrived).
 */
namespace meta_ids {

/// The id as digits. Absent or null → empty string. A float, a negative number, a non-digit
/// string or any other type → nullopt with *error naming `what`.
std::optional<QString> exactId(const nlohmann::json *value, const char *what, QString *error);
std::optional<QString> exactId(const nlohmann::ordered_json *value, const char *what,
                               QString *error);

/// Meta's created_time: Unix seconds (number or digit string) or ISO 8601 ("2024-05-01T10:00:00+0000").
/// nullopt when absent, unreadable, or outside years 1970–9999.
std::optional<qint64> timeToMs(const nlohmann::json *value);
std::optional<qint64> timeToMs(const nlohmann::ordered_json *value);

/// Meta's ISO 8601 form, also "+0000" without a colon. A time without zone is UTC.
std::optional<qint64> isoTimeToMs(const QString &text);

} // namespace meta_ids
} // namespace leadkeeper
