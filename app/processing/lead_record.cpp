#include "lead_record.h"

#include "lead_field.h"

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

using nlohmann::json;

// The contact fields that are members; works for const and non-const records alike.
template<typename Record>
auto member(Record &r, const QString &field) -> decltype(&r.phone)
{
    if (field == QLatin1String("customer_name"))
        return &r.customerName;
    if (field == QLatin1String("first_name"))
        return &r.firstName;
    if (field == QLatin1String("last_name"))
        return &r.lastName;
    if (field == QLatin1String("phone"))
        return &r.phone;
    if (field == QLatin1String("email"))
        return &r.email;
    if (field == QLatin1String("city"))
        return &r.city;
    return nullptr;
}

QByteArray dumpObject(const QMap<QString, QString> &map)
{
    json out = json::object();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out[it.key().toStdString()] = it.value().toStdString();
    return QByteArray::fromStdString(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace

QString LeadRecord::value(const QString &field) const
{
    if (const QString *m = member(*this, field))
        return *m;
    if (LeadField::isStandard(field))
        return standard.value(field);
    const QString name = LeadField::customName(field);
    return name.isEmpty() ? QString() : custom.value(name);
}

void LeadRecord::setValue(const QString &field, const QString &v)
{
    if (QString *m = member(*this, field)) {
        *m = v;
        return;
    }
    QMap<QString, QString> *map = nullptr;
    QString key;
    if (LeadField::isStandard(field)) {
        map = &standard;
        key = field;
    } else if (const QString name = LeadField::customName(field); !name.isEmpty()) {
        map = &custom;
        key = name;
    } else {
        return;
    }
    if (v.isEmpty())
        map->remove(key);
    else
        map->insert(key, v);
}

QByteArray LeadRecord::attributionJson() const
{
    const json out = {
        {"campaign_id", campaignId.toStdString()},
        {"campaign_name", campaignName.toStdString()},
        {"adset_id", adsetId.toStdString()},
        {"adset_name", adsetName.toStdString()},
        {"ad_id", adId.toStdString()},
        {"ad_name", adName.toStdString()},
        {"form_id", formId.toStdString()},
        {"form_name", formName.toStdString()},
        {"page_id", pageId.toStdString()},
        {"platform", platform.toStdString()},
        {"organic", organic},
    };
    return QByteArray::fromStdString(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

QByteArray LeadRecord::standardJson() const
{
    return dumpObject(standard);
}

QByteArray LeadRecord::customJson() const
{
    return dumpObject(custom);
}

} // namespace leadkeeper
