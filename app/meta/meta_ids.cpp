#include "meta_ids.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace leadkeeper::meta_ids {

std::optional<QString> exactId(const nlohmann::json *value, const char *what, QString *error)
{
    if (!value || value->is_null())
        return QString();
    if (value->is_number_unsigned())
        return QString::number(value->get<std::uint64_t>());
    if (value->is_number_integer()) {
        const auto v = value->get<std::int64_t>();
        if (v >= 0)
            return QString::number(v);
    } else if (value->is_string()) {
        const QString s = QString::fromStdString(value->get<std::string>()).trimmed();
        const bool digits = !s.isEmpty() && s.size() <= 32
                            && std::all_of(s.cbegin(), s.cend(), [](QChar c) {
                                   return c >= QLatin1Char('0') && c <= QLatin1Char('9');
                               });
        if (digits || s.isEmpty())
            return s;
    }
    std::string shown = value->dump();
    if (shown.size() > 40)
        shown = shown.substr(0, 40) + "...";
    *error = QStringLiteral("%1 %2 is not a Meta id (expected digits, as a JSON string or an integer "
                            "number)")
                 .arg(QLatin1String(what), QString::fromStdString(shown));
    return std::nullopt;
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
    return dt.toMSecsSinceEpoch();
}

std::optional<qint64> timeToMs(const nlohmann::json *value)
{
    if (!value || value->is_null())
        return std::nullopt;
    if (value->is_number_integer() || value->is_number_unsigned())
        return value->get<std::int64_t>() * 1000;
    if (value->is_number_float())
        return qint64(value->get<double>() * 1000.0);
    if (value->is_string()) {
        const QString s = QString::fromStdString(value->get<std::string>());
        bool ok = false;
        const qint64 seconds = s.toLongLong(&ok);
        if (ok)
            return seconds * 1000;
        return isoTimeToMs(s);
    }
    return std::nullopt;
}

} // namespace leadkeeper::meta_ids
