#include "webhook_payload.h"

#include "meta/meta_ids.h"

#include <nlohmann/json.hpp>

namespace leadkeeper {

using nlohmann::json;

namespace {

const json *member(const json &object, const char *name)
{
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

} // namespace

WebhookPayload::Result WebhookPayload::parse(const QByteArray &body)
{
    Result result;
    json doc;
    try {
        doc = json::parse(body.cbegin(), body.cend());
    } catch (const json::parse_error &e) {
        result.error = QStringLiteral("The body is not valid JSON (at byte %1).").arg(e.byte);
        return result;
    }
    if (!doc.is_object()) {
        result.error = QStringLiteral("The body must be a JSON object.");
        return result;
    }
    const json *object = member(doc, "object");
    if (!object || !object->is_string()) {
        result.error = QStringLiteral("The body has no \"object\" field; expected \"page\".");
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
        const auto entryId = meta_ids::exactId(member(entry, "id"), "entry id", &error);
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
            IncomingLead lead;
            lead.source = LeadSource::Webhook;
            const auto leadgenId = meta_ids::exactId(member(*value, "leadgen_id"), "leadgen_id", &error);
            const auto pageId = meta_ids::exactId(member(*value, "page_id"), "page_id", &error);
            const auto formId = leadgenId && pageId
                                    ? meta_ids::exactId(member(*value, "form_id"), "form_id", &error)
                                    : std::nullopt;
            const auto adId = formId ? meta_ids::exactId(member(*value, "ad_id"), "ad_id", &error)
                                     : std::nullopt;
            const auto adgroupId =
                adId ? meta_ids::exactId(member(*value, "adgroup_id"), "adgroup_id", &error)
                     : std::nullopt;
            if (!adgroupId) {
                result.error = QStringLiteral("%1: %2.").arg(where, error);
                return result;
            }
            if (leadgenId->isEmpty()) {
                result.error = QStringLiteral("%1 is a leadgen change without a leadgen_id.").arg(where);
                return result;
            }
            lead.leadgenId = *leadgenId;
            lead.pageId = pageId->isEmpty() ? *entryId : *pageId;
            lead.formId = *formId;
            lead.adId = *adId;
            lead.adgroupId = *adgroupId;
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

} // namespace leadkeeper
