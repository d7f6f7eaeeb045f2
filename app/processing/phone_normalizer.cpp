#include "phone_normalizer.h"

#include "quoted_value.h"

#include <phonenumbers/phonenumberutil.h>

#include <string>

namespace leadkeeper {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil &util()
{
    return *PhoneNumberUtil::GetInstance();
}

// The dialled part of the input: a "tel:" URI's parameters (";ext=", ";phone-context=") may
// legitimately hold letters, the number itself may not.
QString dialledPart(const QString &text)
{
    QString number = text;
    if (number.startsWith(QLatin1String("tel:"), Qt::CaseInsensitive))
        number = number.mid(4).section(QLatin1Char(';'), 0, 0);
    return number;
}

bool containsLetter(const QString &text)
{
    for (QChar c : text)
        if (c.isLetter())
            return true;
    return false;
}

} // namespace

bool PhoneNormalizer::isKnownRegion(const QString &region)
{
    const QString code = region.trimmed().toUpper();
    return code.size() == 2 && util().GetCountryCodeForRegion(code.toStdString()) != 0;
}

QString PhoneNormalizer::internationalDigits(const QString &nationalDigits, const QString &region)
{
    const QString code = region.trimmed().toUpper();
    if (!isKnownRegion(code))
        return {};
    const int countryCode = util().GetCountryCodeForRegion(code.toStdString());
    std::string prefix;
    util().GetNddPrefixForRegion(code.toStdString(), true, &prefix);
    QString digits = nationalDigits;
    if (!prefix.empty() && digits.startsWith(QString::fromStdString(prefix)))
        digits.remove(0, int(prefix.size()));
    return QString::number(countryCode) + digits;
}

PhoneNormalizer::Result PhoneNormalizer::normalize(const QString &raw, const QString &region)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return {{}, QStringLiteral("The phone number is empty.")};

    const QString regionCode = region.trimmed().toUpper();
    if (!regionCode.isEmpty() && !isKnownRegion(regionCode))
        return {{},
                QStringLiteral("The region %1 is not an ISO 3166 country code libphonenumber knows; "
                               "set the page's region to a code such as DE or US.")
                    .arg(quotedValue(regionCode))};

    if (containsLetter(dialledPart(text)))
        return {{},
                QStringLiteral("%1 contains letters; write the number with digits only (spaces "
                               "and + ( ) - . / are fine).")
                    .arg(quotedValue(raw))};

    const PhoneNumberUtil &u = util();
    const std::string parseRegion = regionCode.isEmpty() ? std::string("ZZ") : regionCode.toStdString();
    PhoneNumber number;
    const PhoneNumberUtil::ErrorType parsed = u.Parse(text.toStdString(), parseRegion, &number);

    if (parsed == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR) {
        if (regionCode.isEmpty())
            return {{},
                    QStringLiteral("%1 has no country code and the page has no default region; "
                                   "write it with + and the country code, or set the page's region.")
                        .arg(quotedValue(raw))};
        return {{},
                QStringLiteral("%1 does not start with a known country code.").arg(quotedValue(raw))};
    }

    const bool ownCountryCode = parsed == PhoneNumberUtil::NO_PARSING_ERROR && !regionCode.isEmpty()
                                && number.country_code()
                                       != u.GetCountryCodeForRegion(regionCode.toStdString());
    if (parsed != PhoneNumberUtil::NO_PARSING_ERROR || !u.IsValidNumber(number)) {
        // Judge the number by the country it names when it carries its own country code.
        if (ownCountryCode || (parsed == PhoneNumberUtil::NO_PARSING_ERROR && regionCode.isEmpty()))
            return {{},
                    QStringLiteral("%1 is not a valid phone number for country code +%2.")
                        .arg(quotedValue(raw), QString::number(number.country_code()))};
        if (regionCode.isEmpty())
            return {{}, QStringLiteral("%1 is not a valid phone number.").arg(quotedValue(raw))};
        return {{},
                QStringLiteral("%1 is not a valid phone number for region %2.")
                    .arg(quotedValue(raw), regionCode)};
    }

    std::string e164;
    u.Format(number, PhoneNumberUtil::E164, &e164);
    return {QString::fromStdString(e164), {}};
}

} // namespace leadkeeper
