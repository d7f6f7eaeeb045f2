#pragma once

#include "store/lead_log_entry.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * Reads one Meta webhook notification body (DESIGN.md §6) into the leads it carries: every
 * `leadgen` change of every entry. Changes of other fields are ignored. A body that is not JSON,
 * whose `object` is not "page", that holds no leadgen change, or whose leadgen change lacks a valid
 * leadgen id is refused as a whole with a precise message: nothing of it is stored.
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
