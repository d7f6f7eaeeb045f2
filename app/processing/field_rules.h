#pragma once

#include <QString>

namespace leadkeeper {

/**
 * The content rules of DESIGN §5 step 5 that are not phone numbers, as pure functions.
 * Each returns an empty Problem when the value passes, else the rule name and the reason.
 *  - e-mail: sensible, not RFC 5322: exactly one @, something before it, a domain with a dot and
 *    a last label of two or more characters, no white space, control characters or <>,;"()[]\ ,
 *    at most 254 characters. Internationalised addresses pass.
 *  - names: no markup characters '<' '>' (rule "markup"), no control characters (rule "control",
 *    see isControlCharacter()). Nothing else is judged: any script, apostrophes and digits pass.
 */
class FieldRules
{
public:
    struct Problem
    {
        QString rule;   ///< "email", "markup", "control"; empty = no problem
        QString reason; ///< completes "<Label> \"value\" ...": "is not a valid e-mail address: ..."
        bool isEmpty() const { return rule.isEmpty(); }
    };

    static Problem checkEmail(const QString &email);
    static Problem checkName(const QString &name);

    /// True for the placeholder answers Meta's lead testing tool sends
    /// ("<test lead: dummy data for full_name>").
    static bool isMetaTestPlaceholder(const QString &value);
};

} // namespace leadkeeper
