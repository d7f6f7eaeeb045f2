#include "transform.h"

#include "phone_normalizer.h"
#include "quoted_value.h"

namespace leadkeeper {

namespace {

const QLatin1String kJoinPrefix("join:");

QString capitalizeWords(const QString &value)
{
    QString out = value.toLower();
    bool wordStart = true;
    for (QChar &c : out) {
        if (c.isSpace() || c == QLatin1Char('-')) {
            wordStart = true;
        } else if (wordStart) {
            // Title case, not upper case: "ǆ" becomes "ǅ".
            c = c.toTitleCase();
            wordStart = false;
        }
    }
    return out;
}

qsizetype joinIndex(const QList<Transform::Step> &steps)
{
    for (qsizetype i = 0; i < steps.size(); ++i)
        if (steps.at(i).kind == Transform::Kind::Join)
            return i;
    return -1;
}

} // namespace

std::optional<Transform> Transform::parse(const QString &text, QString *error)
{
    Transform t;
    if (text.trimmed().isEmpty())
        return t;

    const QStringList parts = text.split(QLatin1Char('|'));
    for (const QString &part : parts) {
        const QString name = part.trimmed();
        const QString lower = name.toLower();
        Step step;
        if (name.isEmpty()) {
            if (error)
                *error = QStringLiteral("The transform %1 has an empty step; separate transforms with "
                                        "one \"|\", as in trim|capitalize.")
                             .arg(quotedValue(text));
            return std::nullopt;
        } else if (lower.startsWith(kJoinPrefix)) {
            // The separator is verbatim: only the spaces before "join:" are padding.
            const QString fromJoin = part.mid(part.indexOf(QLatin1Char(':')) + 1);
            step = {Kind::Join, fromJoin};
        } else if (lower == QLatin1String("trim")) {
            step.kind = Kind::Trim;
        } else if (lower == QLatin1String("capitalize")) {
            step.kind = Kind::Capitalize;
        } else if (lower == QLatin1String("lower")) {
            step.kind = Kind::Lower;
        } else if (lower == QLatin1String("upper")) {
            step.kind = Kind::Upper;
        } else if (lower == QLatin1String("phone")) {
            step.kind = Kind::Phone;
        } else {
            if (error)
                *error = QStringLiteral("Unknown transform %1; use trim, capitalize, lower, upper, phone "
                                        "or join:<sep>.")
                             .arg(quotedValue(name));
            return std::nullopt;
        }
        if (step.kind == Kind::Join && t.hasJoin()) {
            if (error)
                *error = QStringLiteral("The transform %1 joins twice; use one join:<sep>.").arg(quotedValue(text));
            return std::nullopt;
        }
        t.m_steps.append(step);
    }
    return t;
}

bool Transform::normalisesPhone() const
{
    for (const Step &s : m_steps)
        if (s.kind == Kind::Phone)
            return true;
    return false;
}

bool Transform::hasJoin() const
{
    return joinIndex(m_steps) >= 0;
}

QString Transform::joinSeparator() const
{
    const qsizetype i = joinIndex(m_steps);
    return i >= 0 ? m_steps.at(i).separator : QStringLiteral(" ");
}

QString Transform::text() const
{
    QStringList names;
    for (const Step &s : m_steps) {
        switch (s.kind) {
        case Kind::Trim: names.append(QStringLiteral("trim")); break;
        case Kind::Capitalize: names.append(QStringLiteral("capitalize")); break;
        case Kind::Lower: names.append(QStringLiteral("lower")); break;
        case Kind::Upper: names.append(QStringLiteral("upper")); break;
        case Kind::Phone: names.append(QStringLiteral("phone")); break;
        case Kind::Join: names.append(kJoinPrefix + s.separator); break;
        }
    }
    return names.join(QLatin1Char('|'));
}

QString Transform::applySteps(QString value, qsizetype from, qsizetype to, const PhoneContext &context,
                              FieldError *error, bool *failed) const
{
    for (qsizetype i = from; i < to; ++i) {
        switch (m_steps.at(i).kind) {
        case Kind::Trim: value = value.trimmed(); break;
        case Kind::Capitalize: value = capitalizeWords(value); break;
        case Kind::Lower: value = value.toLower(); break;
        case Kind::Upper: value = value.toUpper(); break;
        case Kind::Join: break;
        case Kind::Phone: {
            // An absent answer stays absent; whether it may be absent is the mandatory rule's call.
            if (value.trimmed().isEmpty())
                break;
            const PhoneNormalizer::Result r = PhoneNormalizer::normalize(value, context.region);
            if (!r.ok()) {
                if (error) {
                    error->value = value;
                    error->rule = QStringLiteral("phone");
                    error->message = r.error;
                }
                *failed = true;
                return value;
            }
            value = r.e164;
            break;
        }
        }
    }
    return value;
}

QString Transform::apply(QString value, const PhoneContext &context, FieldError *error) const
{
    bool failed = false;
    return applySteps(std::move(value), 0, m_steps.size(), context, error, &failed);
}

QString Transform::applyToParts(const QStringList &parts, const PhoneContext &context, FieldError *error) const
{
    const qsizetype join = joinIndex(m_steps);
    bool failed = false;
    QStringList done;
    for (const QString &part : parts) {
        const QString v = join < 0 ? part : applySteps(part, 0, join, context, error, &failed);
        if (failed)
            return v;
        if (!v.trimmed().isEmpty())
            done.append(v);
    }
    const QString joined = done.join(joinSeparator());
    return applySteps(joined, join < 0 ? 0 : join + 1, m_steps.size(), context, error, &failed);
}

} // namespace leadkeeper
