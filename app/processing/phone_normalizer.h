#pragma once

#include <QString>

namespace leadkeeper {

/**
 * Turns a phone number as a person typed it into E.164 ("+4915123456789"), using libphonenumber's
 * metadata: the number is parsed with the page's default region (numbers written with "+" or "00"
 * and a country code keep their own country), must be a *valid* number for its country (not merely
 * of a possible length), and is formatted as E.164. "tel:" URIs are accepted.
 *
 * Letters are refused rather than read as keypad letters: libphonenumber would turn a mistyped
 * "0l51 ..." (letter l) into a different, possibly valid number, and we would call a stranger.
 *
 * Every failure is one sentence staff understand, naming the value and the region:
 *   "\"12345\" is not a valid phone number for region DE."
 * Thread-safe: libphonenumber's PhoneNumberUtil is a process-wide immutable singleton.
 */
class PhoneNormalizer
{
public:
    struct Result
    {
        QString e164;  ///< set when error is empty
        QString error; ///< a sentence; empty on success
        bool ok() const { return error.isEmpty(); }
    };

    /// region: ISO 3166-1 alpha-2 ("DE", case-insensitive). May be empty when every number
    /// carries its country code.
    static Result normalize(const QString &raw, const QString &region);

    /// True when libphonenumber knows region (ISO 3166-1 alpha-2, case-insensitive).
    static bool isKnownRegion(const QString &region);

    /// The digits of a number typed as it is dialled inside `region` (or the start of one), as
    /// E.164 writes them: the region's country code, then the digits without the national prefix
    /// ("0151 234" in DE: "49151234"; "(512) 555" in US: "1512555"). Empty for an unknown region.
    static QString internationalDigits(const QString &nationalDigits, const QString &region);
};

} // namespace leadkeeper
