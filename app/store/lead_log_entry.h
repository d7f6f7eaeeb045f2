#pragma once

#include "lead_status.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace leadkeeper {

/// A lead as it arrives, before it is stored: one leadgen change, one import row, one poll item.
struct IncomingLead
{
    QString leadgenId; ///< exact digits
    QString pageId;
    QString formId;
    QString adId;
    QString adgroupId;
    std::optional<qint64> createdAtMs; ///< when the person submitted the form (UTC)
    LeadSource source = LeadSource::Webhook;
    QByteArray rawPayload;  ///< JSON text of exactly what arrived for this lead
    QByteArray leadPayload; ///< JSON text of the Graph lead, when the source carries it (imports)
};

/// One row of the lead log (DESIGN.md §3) as the engine reads it.
struct LeadLogEntry
{
    qint64 id = 0;
    QString leadgenId;
    QString pageId;
    QString formId;
    QString adId;
    QString adgroupId;
    std::optional<qint64> createdAtMs;
    qint64 receivedAtMs = 0;
    LeadSource source = LeadSource::Webhook;
    QString platform; ///< facebook, instagram or unknown
    bool organic = false;
    LeadStatus status = LeadStatus::Pending;
    QString errorMessage;
    QByteArray fieldErrors; ///< JSON array of {field, value, rule, message}
    int attempts = 0;
    std::optional<qint64> nextAttemptAtMs;
    std::optional<qint64> leadId;
    QByteArray rawPayload;
    QByteArray leadPayload;
    QByteArray corrections;
    int deliveries = 1;
    qint64 updatedAtMs = 0;
};

/// One status change of a lead log entry.
struct HistoryEvent
{
    qint64 atMs = 0;
    QString actor; ///< "system" or a user name
    std::optional<LeadStatus> from;
    LeadStatus to = LeadStatus::Pending;
    QString message;
};

/// Filter for listing the lead log, newest first.
struct LeadLogFilter
{
    std::optional<LeadStatus> status;
    std::optional<LeadSource> source;
    QString pageId;
    int limit = 100;
};

} // namespace leadkeeper
