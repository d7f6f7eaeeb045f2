#pragma once

#include "store/lead_log_entry.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * Reads one Meta webhook notification body (DESIGN.md §6) into the leads it carries: every
 * `leadgen` change of every entry, in order. Changes of other fields, and entries without
 * changes, are ignored. Ids are kept as exact digit strings (see meta_ids); a lead without a
 * page_id takes its entry's id. Each lead's raw payload is its entry's id and time plus the change
 * as it arrived (same keys, same order, same digits).
 *
 * A body that is not JSON, nests deeper than Meta ever does, whose `object` is not "page", that
 * holds no leadgen change, or any of whose leadgen changes has a missing leadgen_id or an id that
 * is not exact digits is refused as a whole with a precise message naming the place
 * ("entry[1].changes[0]: ..."): nothing of it is stored.
 */
class WebhookPayload
{
public:
    struct Result
    {
        QList<IncomingLead> leads;
        QString error; ///< empty when the body was accepted
        bool ok() const { return error.isEmpty(); }
    };

    static Result parse(const QByteArray &body);
};

} // namespace leadkeeper
