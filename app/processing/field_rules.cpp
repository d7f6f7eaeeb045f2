#include "field_rules.h"

#include "quoted_value.h"

#include <QStringList>

namespace leadkeeper {

namespace {

FieldRules::Problem emailProblem(const QString &reason)
{
    return {QStringLiteral("email"), QStringLiteral("is not a valid e-mail address: ") + reason};
}

bool isMalformedDotted(const QString &part)
{
    return part.startsWith(QLatin1Char('.')) || part.endsWith(QLatin1Char('.'))
           || part.contains(QLatin1String(".."));
}

} // namespace

FieldRules::Problem FieldRules::checkEmail(const QString &email)
{
    for (QChar c : email)
        if (c.isSpace() || isControlCharacter(c))
            return emailProblem(QStringLiteral("it contains spaces or control characters."));
    for (QChar c : QStringLiteral("<>,;\"()[]\\"))
        if (email.contains(c))
            return emailProblem(QStringLiteral("it contains %1, which an address cannot have.").arg(c));
    if (email.size() > 254)
        return emailProblem(QStringLiteral("it is longer than 254 characters."));
    if (email.count(QLatin1Char('@')) != 1)
        return emailProblem(QStringLiteral("it must contain exactly one @."));

    const qsizetype at = email.indexOf(QLatin1Char('@'));
    const QString local = email.left(at);
    const QString domain = email.mid(at + 1);
    if (local.isEmpty())
        return emailProblem(QStringLiteral("there is nothing before the @."));
    if (isMalformedDotted(local))
        return emailProblem(QStringLiteral("the part before the @ has a misplaced dot."));
    if (domain.isEmpty())
        return emailProblem(QStringLiteral("there is nothing after the @."));
    if (!domain.contains(QLatin1Char('.')))
        return emailProblem(QStringLiteral("the domain after the @ needs a dot, as in example.com."));
    if (isMalformedDotted(domain))
        return emailProblem(QStringLiteral("the domain after the @ has a misplaced dot."));
    const QStringList labels = domain.split(QLatin1Char('.'));
    for (const QString &label : labels)
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return emailProblem(QStringLiteral("a part of the domain starts or ends with a hyphen."));
    if (labels.constLast().size() < 2)
        return emailProblem(QStringLiteral("the domain ending %1 is incomplete.").arg(quotedValue(labels.constLast())));
    return {};
}

FieldRules::Problem FieldRules::checkName(const QString &name)
{
    if (name.contains(QLatin1Char('<')) || name.contains(QLatin1Char('>')))
        return {QStringLiteral("markup"), QStringLiteral("contains markup (< or >); names must be plain text.")};
    for (QChar c : name)
        if (isControlCharacter(c))
            return {QStringLiteral("control"),
                    QStringLiteral("contains a control character (U+%1); names must be plain text.")
                        .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')))};
    return {};
}

bool FieldRules::isMetaTestPlaceholder(const QString &value)
{
    // Case-insensitive: a capitalize transform may already have run over it.
    return value.startsWith(QLatin1String("<test lead: dummy data for "), Qt::CaseInsensitive)
           && value.endsWith(QLatin1Char('>'));
}

} // namespace leadkeeper
