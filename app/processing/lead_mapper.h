#pragma once

#include "lead_record.h"
#include "mapping_types.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * DESIGN §5 steps 4–5: a Graph lead payload + a form mapping + staff corrections → a LeadRecord,
 * or one FieldError per failing field. Pure: no I/O, no clock, safe on any thread.
 *
 * Mapping. field_data is [{"name":key,"values":[...]}]; a question may be missing or have no
 * values; several values are joined with ", ". Question corrections ("question:<key>") replace an
 * answer first. Each row takes the answers of its question key(s), falls back to its default value
 * when they are all missing or blank, and runs its transform. Field corrections ("field:<field>")
 * then replace the mapped value (the transform is skipped; validation is not) and may fill fields
 * no row maps. customer_name, when still empty, is first_name + " " + last_name.
 *
 * Validation, one error per field, first failing rule wins, in row order:
 *  "mapping"    the row names an unknown field, a bad transform, an empty key, a field already mapped
 *  "mandatory"  a mandatory row's field is empty
 *  "phone"      "phone" (always) and any field whose transform has a phone step: E.164 with
 *               `region`, never left unnormalised
 *  "email"      "email": FieldRules::checkEmail (surrounding spaces are dropped first)
 *  "markup" / "control"  customer_name, first_name, last_name, city, company_name
 *  "correction" a correction whose target is neither field:<Lead field> nor question:<key>
 *  "payload"    the payload is not a JSON object, or an attribution id is not digits
 * Messages are sentences starting with the field's label: Phone "12345" is not a valid phone
 * number for region DE.
 *
 * Meta's lead testing tool answers "<test lead: dummy data for full_name>". That IS flagged as
 * markup, deliberately: the rule judges content, not origin, and a special case keyed on that text
 * would let any lead that types it skip validation. The message adds that this is Meta's test
 * placeholder, so a test lead ending in Error reads as "the connection works", and staff can mark
 * it Loss.
 *
 * Attribution (never through a double): campaign_id/name, adset_id/name, ad_id/name, form_id (else
 * the mapping's), form_name (the formName argument, else the payload's, else the mapping's),
 * page_id when present, platform fb/ig → facebook/instagram else unknown, organic when is_organic
 * is true or there is no ad_id, created_time (ISO "2024-05-01T10:00:00+0000" or Unix seconds).
 * The lead is filled as far as possible even when there are errors.
 */
class LeadMapper
{
public:
    struct Result
    {
        LeadRecord lead;
        QList<FieldError> errors;
        bool ok() const { return errors.isEmpty(); }
    };

    static Result map(const QByteArray &leadPayloadJson, const FormMapping &mapping,
                      const QList<Correction> &corrections, const QString &region,
                      const QString &formName = {});

    /// "" when every row is usable; else a sentence naming the first bad row ("Row 2 (question
    /// \"phone_number\") maps to \"telephone\", which is not a Lead field; ...").
    static QString validateMapping(const FormMapping &mapping);
};

} // namespace leadkeeper
