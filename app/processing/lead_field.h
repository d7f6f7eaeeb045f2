#pragma once

#include <QString>
#include <QStringList>

namespace leadkeeper {

/**
 * The catalogue of Lead fields a mapping row may target: the standard fields (customer_name,
 * first_name, last_name, phone, email, city, state, zip_code, country, street_address,
 * company_name, job_title, date_of_birth, gender) and custom fields "custom:<name>" with
 * <name> matching [a-z0-9_]{1,64}. Names are exact and case-sensitive; nothing else is a field.
 */
class LeadField
{
public:
    static bool isKnown(const QString &field);
    static bool isStandard(const QString &field);
    static bool isCustom(const QString &field);
    /// "budget" for "custom:budget"; empty when field is not a valid custom field.
    static QString customName(const QString &field);

    /// The standard fields in display order.
    static QStringList standardFields();

    /// What staff read: "Phone", "ZIP code", "Budget range" for custom:budget_range.
    /// An unknown field is returned as it is.
    static QString label(const QString &field);

    /// The Lead field Meta's standard question key usually feeds (full_name → customer_name,
    /// phone_number → phone, post_code → zip_code, ...); "" for a key with no obvious field.
    static QString suggestedFor(const QString &metaQuestionKey);

    /// The fields checked for markup and control characters (people's and places' names).
    static bool isNameLike(const QString &field);
};

} // namespace leadkeeper
