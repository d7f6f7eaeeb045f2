#include "webhook_payload.h"

#include "meta/meta_ids.h"

#include <nlohmann/json.hpp>

namespace leadkeeper {

// ordered_json keeps the keys in the order they arrived, so the stored raw payload reads like
// what Meta sent.
using json = nlohmann::ordered_json;

namespace {

/// Meta's notifications are four or five levels deep. Deeper documents are refused before they
/// are parsed: copying and printing a JSON value recurses once per level.
constexpr int kMaxDepth = 32;

const json *member(const json &object, const char *name)
{
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

/// True when brackets outside strings never nest deeper than kMaxDepth.
bool shallowEnough(const QByteArray &body)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth)
                return false;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

/// nlohmann's explanation without its "[json.exception...] parse error at line 1, column 9: "
/// prefix (the byte offset is given separately).
QString parseProblem(const char *what)
{
    QString text = QString::fromUtf8(what);
    const qsizetype column = text.indexOf(QLatin1String("column "));
    const qsizetype colon = text.indexOf(QLatin1String(": "), column < 0 ? 0 : column);
    if (colon >= 0)
        text = text.mid(colon + 2);
    if (text.size() > 160)
        text = text.left(160) + QStringLiteral("...");
    return text;
}

WebhookPayload::Result parseBody(const QByteArray &body);

} // namespace

WebhookPayload::Result WebhookPayload::parse(const QByteArray &body)
{
    Result result = parseBody(body);
    if (!result.ok())
        result.leads.clear(); // refused as a whole: not even the changes before the bad one
    return result;
}

namespace {

WebhookPayload::Result parseBody(const QByteArray &body)
{
    WebhookPayload::Result result;
    if (!shallowEnough(body)) {
        result.error = QStringLiteral("The body nests JSON more than %1 levels deep.").arg(kMaxDepth);
        return result;
    }
    json doc;
    try {
        doc = json::parse(body.cbegin(), body.cend());
    } catch (const json::parse_error &e) {
        result.error = QStringLiteral("The body is not valid JSON (at byte %1: %2).")
                           .arg(e.byte)
                           .arg(parseProblem(e.what()));
        return result;
    }
    if (!doc.is_object()) {
        result.error = QStringLiteral("The body must be a JSON object.");
        return result;
    }
    const json *object = member(doc, "object");
    if (!object) {
        result.error = QStringLiteral("The body has no \"object\" field; expected \"page\".");
        return result;
    }
    if (!object->is_string()) {
        result.error = QStringLiteral("\"object\" is not a string; expected \"page\".");
        return result;
    }
    if (object->get<std::string>() != "page") {
        result.error = QStringLiteral("\"object\" is \"%1\"; Leadkeeper accepts only \"page\" "
                                      "notifications.")
                           .arg(QString::fromStdString(object->get<std::string>()).left(60));
        return result;
    }
    const json *entries = member(doc, "entry");
    if (!entries || !entries->is_array()) {
        result.error = QStringLiteral("The body has no \"entry\" array.");
        return result;
    }

    for (std::size_t e = 0; e < entries->size(); ++e) {
        const json &entry = (*entries)[e];
        if (!entry.is_object()) {
            result.error = QStringLiteral("entry[%1] is not an object.").arg(e);
            return result;
        }
        QString error;
        const auto entryId = meta_ids::exactId(member(entry, "id"), "id", &error);
        if (!entryId) {
            result.error = QStringLiteral("entry[%1]: %2.").arg(e).arg(error);
            return result;
        }
        const json *changes = member(entry, "changes");
        if (!changes || !changes->is_array())
            continue; // entries of other kinds (messaging) carry no changes
        for (std::size_t c = 0; c < changes->size(); ++c) {
            const json &change = (*changes)[c];
            const QString where = QStringLiteral("entry[%1].changes[%2]").arg(e).arg(c);
            if (!change.is_object()) {
                result.error = QStringLiteral("%1 is not an object.").arg(where);
                return result;
            }
            const json *field = member(change, "field");
            if (!field || !field->is_string() || field->get<std::string>() != "leadgen")
                continue;
            const json *value = member(change, "value");
            if (!value || !value->is_object()) {
                result.error = QStringLiteral("%1 is a leadgen change without a \"value\" object.")
                                   .arg(where);
                return result;
            }
            // Every id of the change, in order; the first bad one refuses the body.
            QString ids[5];
            const char *const names[5] = {"leadgen_id", "page_id", "form_id", "ad_id", "adgroup_id"};
            for (int i = 0; i < 5; ++i) {
                const auto id = meta_ids::exactId(member(*value, names[i]), names[i], &error);
                if (!id) {
                    result.error = QStringLiteral("%1: %2.").arg(where, error);
                    return result;
                }
                ids[i] = *id;
            }
            if (ids[0].isEmpty()) {
                result.error = QStringLiteral("%1 is a leadgen change without a leadgen_id.").arg(where);
                return result;
            }
            IncomingLead lead;
            lead.source = LeadSource::Webhook;
            lead.leadgenId = ids[0];
            lead.pageId = ids[1].isEmpty() ? *entryId : ids[1];
            lead.formId = ids[2];
            lead.adId = ids[3];
            lead.adgroupId = ids[4];
            lead.createdAtMs = meta_ids::timeToMs(member(*value, "created_time"));

            json raw = json::object();
            raw["entry"] = json::object();
            if (const json *id = member(entry, "id"))
                raw["entry"]["id"] = *id;
            if (const json *time = member(entry, "time"))
                raw["entry"]["time"] = *time;
            raw["change"] = change;
            lead.rawPayload = QByteArray::fromStdString(raw.dump());
            result.leads << lead;
        }
    }
    if (result.leads.isEmpty())
        result.error = QStringLiteral("The body holds no leadgen change: nothing to store.");
    return result;
}

} // namespace
} // namespace leadkeeper
