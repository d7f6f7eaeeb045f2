#include "lead_mapper.h"

#include "field_rules.h"
#include "lead_field.h"
#include "meta/meta_ids.h"
#include "phone_normalizer.h"
#include "quoted_value.h"
#include "transform.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

using nlohmann::json;

const QLatin1String kFieldPrefix("field:");
const QLatin1String kQuestionPrefix("question:");

// A JSON scalar as text. Numbers are dumped, never converted, so long digit runs stay exact.
QString jsonText(const json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_null())
        return {};
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromStdString(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

// One field_data entry's answer: its non-blank values joined with ", ".
QString answerOf(const json &entry)
{
    const auto values = entry.find("values");
    if (values == entry.end())
        return {};
    if (!values->is_array())
        return jsonText(*values);
    QStringList out;
    for (const json &v : *values) {
        const QString text = jsonText(v);
        if (!text.trimmed().isEmpty())
            out.append(text);
    }
    return out.join(QStringLiteral(", "));
}

QStringList questionKeys(const QString &questionKey)
{
    QStringList keys = questionKey.split(QLatin1Char('+'));
    for (QString &k : keys)
        k = k.trimmed();
    return keys;
}

bool allBlank(const QStringList &values)
{
    for (const QString &v : values)
        if (!v.trimmed().isEmpty())
            return false;
    return true;
}

// "Row 2 (question "phone_number")": how a sentence names a mapping row (1-based, as shown).
QString rowName(qsizetype index, const MappingRow &row)
{
    const QString number = QString::number(index + 1);
    if (row.questionKey.trimmed().isEmpty())
        return QStringLiteral("Row ") + number;
    return QStringLiteral("Row %1 (question %2)").arg(number, quotedValue(row.questionKey.trimmed()));
}

// One sentence per row ("" = usable), so map() and validateMapping() judge rows identically.
QStringList rowProblems(const FormMapping &mapping)
{
    QStringList problems;
    QHash<QString, qsizetype> firstRowOfField;
    for (qsizetype i = 0; i < mapping.rows.size(); ++i) {
        const MappingRow &row = mapping.rows.at(i);
        const QString name = rowName(i, row);
        QString problem;
        QString transformError;
        if (row.questionKey.trimmed().isEmpty()) {
            problem = name + QStringLiteral(" has no question key; pick the form question it reads.");
        } else if (questionKeys(row.questionKey).contains(QString())) {
            problem = name + QStringLiteral(" has an empty question key between + signs; write several keys "
                                            "as first_name+last_name.");
        } else if (row.leadField.isEmpty()) {
            problem = name + QStringLiteral(" has no Lead field; pick the field it fills.");
        } else if (!LeadField::isKnown(row.leadField)) {
            problem = QStringLiteral("%1 maps to %2, which is not a Lead field; use a standard field such as "
                                     "phone, or custom:<name> with a-z, 0-9 and _.")
                          .arg(name, quotedValue(row.leadField));
        } else if (!Transform::parse(row.transform, &transformError)) {
            problem = name + QStringLiteral(": ") + transformError;
        } else if (firstRowOfField.contains(row.leadField)) {
            problem = QStringLiteral("%1 fills %2, which row %3 already fills; map each Lead field once.")
                          .arg(name, LeadField::label(row.leadField),
                               QString::number(firstRowOfField.value(row.leadField) + 1));
        }
        if (problem.isEmpty())
            firstRowOfField.insert(row.leadField, i);
        problems.append(problem);
    }
    return problems;
}

// Builds a FieldError whose sentence starts with the field's label. Sentences from the rules
// start with the quoted value ("\"12345\" is not ..."); any other sentence follows a colon.
FieldError fieldError(const QString &field, const QString &value, const QString &rule, const QString &sentence)
{
    const QString label = LeadField::label(field);
    QString message = sentence.startsWith(QLatin1Char('"')) ? label + QLatin1Char(' ') + sentence
                                                            : label + QStringLiteral(": ") + sentence;
    if (FieldRules::isMetaTestPlaceholder(value))
        message += QStringLiteral(" This is the placeholder Meta's lead testing tool sends: the connection "
                                  "works; mark the test lead as Loss.");
    return {field, value, rule, message};
}

// What validation needs to know about a field that received a value.
struct FieldState
{
    QString field;
    QString questionKey;
    bool mandatory = false;
    bool phone = false;
    bool corrected = false;
    bool failed = false;
};

} // namespace

QString LeadMapper::validateMapping(const FormMapping &mapping)
{
    const QStringList problems = rowProblems(mapping);
    for (const QString &p : problems)
        if (!p.isEmpty())
            return p;
    return {};
}

LeadMapper::Result LeadMapper::map(const QByteArray &leadPayloadJson, const FormMapping &mapping,
                                   const QList<Correction> &corrections, const QString &region,
                                   const QString &formName)
{
    Result result;
    LeadRecord &lead = result.lead;
    QList<FieldError> &errors = result.errors;

    const json doc = json::parse(leadPayloadJson.cbegin(), leadPayloadJson.cend(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        errors.append({QString(), QString(), QStringLiteral("payload"),
                       QStringLiteral("The lead payload is not a JSON object; fetch the lead from Meta again.")});
        return result;
    }
    const auto member = [&doc](const char *key) -> const json * {
        const auto it = doc.find(key);
        return it == doc.end() ? nullptr : &*it;
    };

    // Answers by question key.
    QHash<QString, QString> answers;
    if (const json *fieldData = member("field_data"); fieldData && !fieldData->is_null()) {
        if (!fieldData->is_array()) {
            errors.append({QString(), QString(), QStringLiteral("payload"),
                           QStringLiteral("The lead payload's field_data is not a list of answers; fetch the "
                                          "lead from Meta again.")});
            return result;
        }
        for (const json &entry : *fieldData) {
            const auto name = entry.is_object() ? entry.find("name") : entry.end();
            if (!entry.is_object() || name == entry.end() || !name->is_string())
                continue;
            const QString key = QString::fromStdString(name->get<std::string>());
            const QString answer = answerOf(entry);
            QString &slot = answers[key];
            slot = slot.isEmpty() ? answer : answer.isEmpty() ? slot : slot + QStringLiteral(", ") + answer;
        }
    }

    // Corrections: the latest per target wins; question corrections overlay the answers now.
    QHash<QString, Correction> latest;
    QStringList targets;
    for (const Correction &c : corrections) {
        const auto it = latest.find(c.target);
        if (it == latest.end()) {
            latest.insert(c.target, c);
            targets.append(c.target);
        } else if (c.atMs >= it->atMs) {
            *it = c;
        }
    }
    QHash<QString, QString> fieldCorrections;
    QStringList correctedFields;
    for (const QString &target : std::as_const(targets)) {
        const Correction &c = latest[target];
        if (target.startsWith(kQuestionPrefix) && target.size() > kQuestionPrefix.size()) {
            answers.insert(target.mid(kQuestionPrefix.size()), c.value);
        } else if (target.startsWith(kFieldPrefix) && LeadField::isKnown(target.mid(kFieldPrefix.size()))) {
            fieldCorrections.insert(target.mid(kFieldPrefix.size()), c.value);
            correctedFields.append(target.mid(kFieldPrefix.size()));
        } else {
            errors.append({target, c.value, QStringLiteral("correction"),
                           QStringLiteral("The correction of %1 names neither a Lead field (as in field:phone) "
                                          "nor a question (as in question:phone_number); correct it again.")
                               .arg(quotedValue(target))});
        }
    }

    // Rows → values.
    const PhoneContext phoneContext{region};
    const QStringList problems = rowProblems(mapping);
    QList<FieldState> states;
    QSet<QString> filled;
    for (qsizetype i = 0; i < mapping.rows.size(); ++i) {
        const MappingRow &row = mapping.rows.at(i);
        if (!problems.at(i).isEmpty()) {
            errors.append({row.leadField, QString(), QStringLiteral("mapping"), problems.at(i)});
            continue;
        }
        const Transform transform = *Transform::parse(row.transform, nullptr);
        FieldState state{row.leadField, row.questionKey.trimmed(), row.mandatory,
                         row.leadField == QLatin1String("phone") || transform.normalisesPhone(), false, false};
        QString value;
        if (fieldCorrections.contains(row.leadField)) {
            value = fieldCorrections.value(row.leadField);
            state.corrected = true;
        } else {
            QStringList parts;
            const QStringList keys = questionKeys(row.questionKey);
            for (const QString &key : keys)
                parts.append(answers.value(key));
            if (allBlank(parts))
                parts = QStringList{row.defaultValue};
            FieldError stepError;
            value = transform.applyToParts(parts, phoneContext, &stepError);
            if (!stepError.rule.isEmpty()) {
                state.failed = true;
                errors.append(fieldError(row.leadField, stepError.value, stepError.rule, stepError.message));
            }
        }
        lead.setValue(row.leadField, value);
        filled.insert(row.leadField);
        states.append(state);
    }
    for (const QString &field : std::as_const(correctedFields)) {
        if (filled.contains(field))
            continue;
        lead.setValue(field, fieldCorrections.value(field));
        states.append({field, QString(), false, field == QLatin1String("phone"), true, false});
    }

    // A name made of first and last name was validated as those parts.
    bool derivedCustomerName = false;
    if (lead.customerName.trimmed().isEmpty()) {
        QStringList names;
        for (const QString &n : {lead.firstName.trimmed(), lead.lastName.trimmed()})
            if (!n.isEmpty())
                names.append(n);
        if (!names.isEmpty()) {
            lead.customerName = names.join(QLatin1Char(' '));
            derivedCustomerName = true;
        }
    }

    // Validation: one error per field, the first failing rule.
    for (const FieldState &s : std::as_const(states)) {
        if (s.failed)
            continue;
        QString value = lead.value(s.field);
        if (value.trimmed().isEmpty()) {
            if (s.mandatory)
                errors.append({s.field, value, QStringLiteral("mandatory"),
                               s.corrected
                                   ? QStringLiteral("%1 is mandatory, but it was corrected to nothing.")
                                         .arg(LeadField::label(s.field))
                                   : QStringLiteral("%1 is mandatory, but question %2 has no answer.")
                                         .arg(LeadField::label(s.field), quotedValue(s.questionKey))});
            continue;
        }
        if (s.phone) {
            const PhoneNormalizer::Result phone = PhoneNormalizer::normalize(value, region);
            if (phone.ok())
                lead.setValue(s.field, phone.e164);
            else
                errors.append(fieldError(s.field, value, QStringLiteral("phone"), phone.error));
            continue;
        }
        FieldRules::Problem problem;
        if (s.field == QLatin1String("email")) {
            value = value.trimmed();
            lead.setValue(s.field, value);
            problem = FieldRules::checkEmail(value);
        } else if (LeadField::isNameLike(s.field)
                   && !(s.field == QLatin1String("customer_name") && derivedCustomerName)) {
            problem = FieldRules::checkName(value);
        }
        if (!problem.isEmpty())
            errors.append(fieldError(s.field, value, problem.rule, quotedValue(value) + QLatin1Char(' ') + problem.reason));
    }

    // Attribution, ids as exact digit strings.
    const auto id = [&](const char *key) {
        QString error;
        const std::optional<QString> v = meta_ids::exactId(member(key), key, &error);
        if (v)
            return *v;
        errors.append({QLatin1String(key), jsonText(*member(key)), QStringLiteral("payload"),
                       error + QStringLiteral("; fetch the lead from Meta again.")});
        return QString();
    };
    const auto text = [&](const char *key) {
        const json *v = member(key);
        return v ? jsonText(*v) : QString();
    };
    lead.campaignId = id("campaign_id");
    lead.campaignName = text("campaign_name");
    lead.adsetId = id("adset_id");
    lead.adsetName = text("adset_name");
    lead.adId = id("ad_id");
    lead.adName = text("ad_name");
    lead.formId = id("form_id");
    if (lead.formId.isEmpty())
        lead.formId = mapping.formId;
    lead.formName = !formName.isEmpty() ? formName : !text("form_name").isEmpty() ? text("form_name") : mapping.formName;
    lead.pageId = id("page_id");

    const QString platform = text("platform").trimmed().toLower();
    if (platform == QLatin1String("fb") || platform == QLatin1String("facebook"))
        lead.platform = QStringLiteral("facebook");
    else if (platform == QLatin1String("ig") || platform == QLatin1String("instagram"))
        lead.platform = QStringLiteral("instagram");
    else
        lead.platform = QStringLiteral("unknown");

    const QString isOrganic = text("is_organic").trimmed().toLower();
    lead.organic = isOrganic == QLatin1String("true") || isOrganic == QLatin1String("1") || lead.adId.isEmpty();
    lead.createdAtMs = meta_ids::timeToMs(member("created_time"));
    return result;
}

} // namespace leadkeeper
