#pragma once

#include "mapping_types.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace leadkeeper {

/// What the "phone" transform needs to know: the page's default region (ISO 3166-1 alpha-2).
struct PhoneContext
{
    QString region;
};

/**
 * A mapping row's transform, parsed once from the text an admin wrote, and applied to answers.
 *
 * Text: steps separated by '|', applied left to right; "" (or blanks) is no transform.
 *   trim            strip leading and trailing white space
 *   capitalize      every word: first letter upper case, the rest lower case. Words start after
 *                   white space or '-' ("jean-luc picard" → "Jean-Luc Picard"). Deliberately simple:
 *                   "McDONALD" becomes "Mcdonald" and "o'brien" becomes "O'brien".
 *   lower, upper    the whole value
 *   phone           E.164 with the page's region (PhoneNormalizer); failure is a FieldError
 *   join:<sep>      combines the answers of a row naming several question keys ("first_name+last_name").
 *                   <sep> is everything after "join:" up to the next '|' or the end, kept verbatim,
 *                   so "join: |trim" joins with one space. Steps before the join apply to each
 *                   answer, steps after it to the joined text; empty answers are skipped.
 * Step names are case-insensitive and may be padded with spaces; at most one join per chain.
 * Guarantees: parse() either returns a Transform that apply() can always run, or an error sentence
 * naming the offending step; apply() never changes a value except as the steps say.
 */
class Transform
{
public:
    enum class Kind { Trim, Capitalize, Lower, Upper, Phone, Join };
    struct Step
    {
        Kind kind = Kind::Trim;
        QString separator; ///< Join only
        friend bool operator==(const Step &, const Step &) = default;
    };

    Transform() = default; ///< no steps: values pass unchanged

    static std::optional<Transform> parse(const QString &text, QString *error);

    bool isEmpty() const { return m_steps.isEmpty(); }
    const QList<Step> &steps() const { return m_steps; }
    bool normalisesPhone() const;
    bool hasJoin() const;
    /// The join separator; a single space when the chain has no join step.
    QString joinSeparator() const;
    /// The canonical text ("trim|join: |capitalize").
    QString text() const;

    /// Runs the chain on one value (a join step has nothing to combine and passes it on).
    /// On a failing phone step: returns the value as it entered that step and, when error is
    /// given, fills error->value, ->rule ("phone") and ->message (error->field is the caller's).
    QString apply(QString value, const PhoneContext &context, FieldError *error) const;

    /// Runs the chain on the answers of several questions, combining them at the join step (or
    /// first, with a single space, when the chain has none). Failure as for apply().
    QString applyToParts(const QStringList &parts, const PhoneContext &context, FieldError *error) const;

private:
    QString applySteps(QString value, qsizetype from, qsizetype to, const PhoneContext &context,
                       FieldError *error, bool *failed) const;

    QList<Step> m_steps;
};

} // namespace leadkeeper
