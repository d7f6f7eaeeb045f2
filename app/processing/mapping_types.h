#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * One row of a form mapping: which question of a lead form fills which Lead field.
 * questionKey may name several questions joined by '+' ("first_name+last_name"); their answers are
 * combined by the row's join:<sep> transform (a single space when the row has none).
 * leadField is a LeadField name ("phone", "custom:budget"); transform is Transform text
 * ("trim|capitalize"); defaultValue stands in for a missing or empty answer.
 */
struct MappingRow
{
    QString questionKey;
    QString leadField;
    QString defaultValue;
    QString transform;
    bool mandatory = false;
};

/**
 * The mapping of one lead form of one page config. questions is the form's question list as Meta
 * describes it: a JSON array [{"key","label","type"}], kept as received.
 */
struct FormMapping
{
    qint64 id = 0;
    qint64 pageConfigId = 0;
    QString formId;
    QString formName;
    QByteArray questions;
    bool enabled = true;
    QList<MappingRow> rows;
};

/**
 * Why one field of a lead failed: the Lead field ("phone"), the offending value exactly as it was,
 * the rule that failed ("mandatory", "phone", "email", "markup", "control", "mapping", "correction",
 * "payload") and one sentence staff can act on.
 * JSON form: [{"field","value","rule","message"}]; fromJson() of anything else is an empty list
 * with *ok = false.
 */
struct FieldError
{
    QString field;
    QString value;
    QString rule;
    QString message;

    static QByteArray toJson(const QList<FieldError> &errors);
    static QList<FieldError> fromJson(const QByteArray &json, bool *ok = nullptr);

    friend bool operator==(const FieldError &, const FieldError &) = default;
};

/**
 * A staff edit kept as an overlay over the original payloads (which are never overwritten).
 * target is "field:<lead field>" (replaces the mapped value, after transforms; still validated,
 * phones still normalised) or "question:<question key>" (replaces that answer before mapping).
 * When several corrections name the same target, the one with the latest atMs wins (list order
 * breaks ties). An empty value is a deliberate "no answer".
 * JSON form: [{"target","value","author","at_ms"}].
 */
struct Correction
{
    QString target;
    QString value;
    QString author;
    qint64 atMs = 0;

    static QString fieldTarget(const QString &leadField) { return QStringLiteral("field:") + leadField; }
    static QString questionTarget(const QString &key) { return QStringLiteral("question:") + key; }

    static QByteArray toJson(const QList<Correction> &corrections);
    static QList<Correction> fromJson(const QByteArray &json, bool *ok = nullptr);

    friend bool operator==(const Correction &, const Correction &) = default;
};

} // namespace leadkeeper
