#include "lead_field.h"

#include <array>

namespace leadkeeper {

namespace {

struct Entry
{
    const char *name;
    const char *label;
};

// Display order; the one list every other function reads.
constexpr std::array<Entry, 14> kStandard{{
    {"customer_name", "Customer name"},
    {"first_name", "First name"},
    {"last_name", "Last name"},
    {"phone", "Phone"},
    {"email", "E-mail"},
    {"city", "City"},
    {"state", "State"},
    {"zip_code", "ZIP code"},
    {"country", "Country"},
    {"street_address", "Street address"},
    {"company_name", "Company name"},
    {"job_title", "Job title"},
    {"date_of_birth", "Date of birth"},
    {"gender", "Gender"},
}};

const QLatin1String kCustomPrefix("custom:");

bool isCustomNameChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
           || c == QLatin1Char('_');
}

} // namespace

bool LeadField::isStandard(const QString &field)
{
    for (const Entry &e : kStandard)
        if (field == QLatin1String(e.name))
            return true;
    return false;
}

QString LeadField::customName(const QString &field)
{
    if (!field.startsWith(kCustomPrefix))
        return {};
    const QString name = field.mid(kCustomPrefix.size());
    if (name.isEmpty() || name.size() > 64)
        return {};
    for (QChar c : name)
        if (!isCustomNameChar(c))
            return {};
    return name;
}

bool LeadField::isCustom(const QString &field)
{
    return !customName(field).isEmpty();
}

bool LeadField::isKnown(const QString &field)
{
    return isStandard(field) || isCustom(field);
}

QStringList LeadField::standardFields()
{
    QStringList out;
    out.reserve(int(kStandard.size()));
    for (const Entry &e : kStandard)
        out.append(QLatin1String(e.name));
    return out;
}

QString LeadField::label(const QString &field)
{
    for (const Entry &e : kStandard)
        if (field == QLatin1String(e.name))
            return QLatin1String(e.label);
    QString name = customName(field);
    if (name.isEmpty())
        return field;
    name.replace(QLatin1Char('_'), QLatin1Char(' '));
    name[0] = name.at(0).toUpper();
    return name;
}

QString LeadField::suggestedFor(const QString &metaQuestionKey)
{
    const QString key = metaQuestionKey.trimmed().toLower();
    if (key == QLatin1String("full_name"))
        return QStringLiteral("customer_name");
    if (key == QLatin1String("phone_number"))
        return QStringLiteral("phone");
    if (key == QLatin1String("post_code"))
        return QStringLiteral("zip_code");
    // The remaining standard questions carry the field's own name (email, city, zip_code, ...);
    // customer_name and phone are not Meta question keys.
    if (isStandard(key) && key != QLatin1String("customer_name") && key != QLatin1String("phone"))
        return key;
    return {};
}

bool LeadField::isNameLike(const QString &field)
{
    return field == QLatin1String("customer_name") || field == QLatin1String("first_name")
           || field == QLatin1String("last_name") || field == QLatin1String("city")
           || field == QLatin1String("company_name");
}

} // namespace leadkeeper
