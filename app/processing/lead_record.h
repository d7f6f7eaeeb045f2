#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * The clean Lead a lead payload maps to (DESIGN §5, "normalized backend shape"); source is always
 * meta_ads. Contact fields have members; the other standard fields (state, zip_code, country, ...)
 * live in `standard` keyed by field name, custom fields in `custom` keyed by their name without
 * the "custom:" prefix. Empty values are never stored in the maps.
 * Attribution ids are Meta's exact digit strings. platform is "facebook", "instagram" or
 * "unknown". pageId is filled by whoever knows the page (the lead payload usually does not say).
 */
struct LeadRecord
{
    QString customerName, firstName, lastName, phone, email, city;
    QMap<QString, QString> standard;
    QMap<QString, QString> custom;

    QString campaignId, campaignName, adsetId, adsetName, adId, adName, formId, formName, pageId;
    QString platform = QStringLiteral("unknown");
    bool organic = false;
    std::optional<qint64> createdAtMs;

    /// The value of a LeadField ("phone", "zip_code", "custom:budget"); "" when unset or unknown.
    QString value(const QString &field) const;
    /// Sets a LeadField; an empty value clears it; an unknown field name is ignored.
    void setValue(const QString &field, const QString &v);

    /// {"campaign_id","campaign_name","adset_id","adset_name","ad_id","ad_name","form_id",
    ///  "form_name","page_id","platform","organic"}: every key present, ids as strings.
    QByteArray attributionJson() const;
    /// {"state":"CA","zip_code":"94103",...}
    QByteArray standardJson() const;
    /// {"budget":"10k",...} (names without "custom:")
    QByteArray customJson() const;

    friend bool operator==(const LeadRecord &, const LeadRecord &) = default;
};

} // namespace leadkeeper
