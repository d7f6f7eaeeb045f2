#include "meta_ids.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace leadkeeper::meta_ids {

namespace {

/// 9999-12-31T23:59:59Z: beyond it a "time" is garbage, and seconds × 1000 would overflow.
constexpr qint64 kMaxSeconds = 253402300799LL;

template<typename Json>
QString shown(const Json &value)
{
    std::string text = value.dump();
    if (text.size() > 40)
        text = text.substr(0, 40) + "...";
    return QString::fromStdString(text);
}

template<typename Json>
std::optional<QString> exactIdOf(const Json *value, const char *what, QString *error)
{
    if (!value || value->is_null())
        return QString();
    if (value->is_number_unsigned())
        return QString::number(value->template get<std::uint64_t>());
    if (value->is_number_integer()) {
        const auto v = value->template get<std::int64_t>();
        if (v >= 0)
            return QString::number(v);
        *error = QStringLiteral("%1 %2 is not a Meta id (it is negative)")
                     .arg(QLatin1String(what), shown(*value));
        return std::nullopt;
    }
    if (value->is_number_float()) {
        // The parser already rounded it: the digits Meta meant are gone.
        *error = QStringLiteral("%1 %2 is not a Meta id: a number with a fraction, an exponent or "
                                "more than 64 bits cannot be kept exactly (send ids as digits, in "
                                "a JSON string or as an integer)")
                     .arg(QLatin1String(what), shown(*value));
        return std::nullopt;
    }
    if (value->is_string()) {
        const QString s = QString::fromStdString(value->template get<std::string>()).trimmed();
        const bool digits = s.size() <= 32 && std::all_of(s.cbegin(), s.cend(), [](QChar c) {
                                return c >= QLatin1Char('0') && c <= QLatin1Char('9');
                            });
        if (digits)
            return s;
    }
    *error = QStringLiteral("%1 %2 is not a Meta id (expected digits, as a JSON string or an integer "
                            "number)")
                 .arg(QLatin1String(what), shown(*value));
    return std::nullopt;
}

std::optional<qint64> secondsToMs(qint64 seconds)
{
    if (seconds < 0 || seconds > kMaxSeconds)
        return std::nullopt;
    return seconds * 1000;
}

template<typename Json>
std::optional<qint64> timeToMsOf(const Json *value)
{
    if (!value || value->is_null())
        return std::nullopt;
    if (value->is_number_unsigned()) {
        const auto v = value->template get<std::uint64_t>();
        return v > std::uint64_t(kMaxSeconds) ? std::nullopt : secondsToMs(qint64(v));
    }
    if (value->is_number_integer())
        return secondsToMs(value->template get<std::int64_t>());
    if (value->is_number_float()) {
        const double seconds = value->template get<double>();
        if (!std::isfinite(seconds) || seconds < 0 || seconds > double(kMaxSeconds))
            return std::nullopt;
        return qint64(std::llround(seconds * 1000.0));
    }
    if (value->is_string()) {
        const QString s = QString::fromStdString(value->template get<std::string>()).trimmed();
        bool ok = false;
        const qint64 seconds = s.toLongLong(&ok);
        if (ok)
            return secondsToMs(seconds);
        return isoTimeToMs(s);
    }
    return std::nullopt;
}

} // namespace

std::optional<QString> exactId(const nlohmann::json *value, const char *what, QString *error)
{
    return exactIdOf(value, what, error);
}

std::optional<QString> exactId(const nlohmann::ordered_json *value, const char *what, QString *error)
{
    return exactIdOf(value, what, error);
}

std::optional<qint64> timeToMs(const nlohmann::json *value)
{
    return timeToMsOf(value);
}

std::optional<qint64> timeToMs(const nlohmann::ordered_json *value)
{
    return timeToMsOf(value);
}

std::optional<qint64> isoTimeToMs(const QString &text)
{
    QString t = text.trimmed();
    // Meta writes "+0000"; Qt's ISO parser wants "+00:00".
    if (t.size() > 5 && (t.at(t.size() - 5) == QLatin1Char('+') || t.at(t.size() - 5) == QLatin1Char('-'))
        && t.at(t.size() - 3) != QLatin1Char(':'))
        t.insert(t.size() - 2, QLatin1Char(':'));
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(t, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    const qint64 ms = dt.toMSecsSinceEpoch();
    if (ms < 0 || ms / 1000 > kMaxSeconds)
        return std::nullopt;
    return ms;
}

} // namespace leadkeeper::meta_ids
