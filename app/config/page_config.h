#pragma once

#include "processing/mapping_types.h"

#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * One connected Facebook Page (DESIGN.md §1, the admin's view): which page, whether its leads are
 * processed, the region used to read phone numbers without a country code, and the key under which
 * its page access token lives in the SecretStore. The token itself is never part of this struct,
 * so a PageConfig can be logged, copied and shown freely.
 */
struct PageConfig
{
    qint64 id = 0;         ///< row id in page_configs; 0 = not stored yet
    QString pageId;        ///< Meta's page id, exact digits
    QString name;          ///< shown to staff, e.g. "Acme Roofing"
    bool enabled = true;   ///< disabled: its leads end as Disabled (DESIGN.md §4)
    QString defaultRegion; ///< ISO 3166 alpha-2 such as "DE"; "" = settings default
    QString tokenRef;      ///< SecretStore key of the page access token; "" = "page:<page_id>"
    qint64 updatedAtMs = 0;
};

/// A page with all its form mappings: the unit that ConfigFile imports and exports.
struct PageWithForms
{
    PageConfig page;
    QList<FormMapping> forms;
};

} // namespace leadkeeper
