#include "mapping_types.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace leadkeeper {

namespace {

using nlohmann::json;

std::string utf8(const QString &s)
{
    return s.toStdString();
}

QString stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

QByteArray dump(const json &value)
{
    // Replace invalid UTF-8 instead of throwing: a stored error list must always serialise.
    return QByteArray::fromStdString(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// Parses a JSON array of objects; nullopt when the text is not one.
std::optional<json> parseArray(const QByteArray &text)
{
    json doc = json::parse(text.cbegin(), text.cend(), nullptr, false);
    if (doc.is_discarded() || !doc.is_array())
        return std::nullopt;
    for (const json &item : doc)
        if (!item.is_object())
            return std::nullopt;
    return doc;
}

} // namespace

QByteArray FieldError::toJson(const QList<FieldError> &errors)
{
    json out = json::array();
    for (const FieldError &e : errors)
        out.push_back({{"field", utf8(e.field)},
                       {"value", utf8(e.value)},
                       {"rule", utf8(e.rule)},
                       {"message", utf8(e.message)}});
    return dump(out);
}

QList<FieldError> FieldError::fromJson(const QByteArray &text, bool *ok)
{
    const auto doc = parseArray(text);
    if (ok)
        *ok = doc.has_value();
    QList<FieldError> out;
    if (!doc)
        return out;
    for (const json &item : *doc)
        out.append({stringAt(item, "field"), stringAt(item, "value"), stringAt(item, "rule"),
                    stringAt(item, "message")});
    return out;
}

QByteArray Correction::toJson(const QList<Correction> &corrections)
{
    json out = json::array();
    for (const Correction &c : corrections)
        out.push_back({{"target", utf8(c.target)},
                       {"value", utf8(c.value)},
                       {"author", utf8(c.author)},
                       {"at_ms", c.atMs}});
    return dump(out);
}

QList<Correction> Correction::fromJson(const QByteArray &text, bool *ok)
{
    const auto doc = parseArray(text);
    if (ok)
        *ok = doc.has_value();
    QList<Correction> out;
    if (!doc)
        return out;
    for (const json &item : *doc) {
        Correction c{stringAt(item, "target"), stringAt(item, "value"), stringAt(item, "author"), 0};
        const auto at = item.find("at_ms");
        if (at != item.end() && (at->is_number_integer() || at->is_number_unsigned()))
            c.atMs = at->get<qint64>();
        out.append(c);
    }
    return out;
}

} // namespace leadkeeper
