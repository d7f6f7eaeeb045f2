#include "lead_status.h"

namespace leadkeeper {

QString statusKey(LeadStatus status)
{
    switch (status) {
    case LeadStatus::Pending: return QStringLiteral("pending");
    case LeadStatus::Unconfigured: return QStringLiteral("unconfigured");
    case LeadStatus::Disabled: return QStringLiteral("disabled");
    case LeadStatus::Processed: return QStringLiteral("processed");
    case LeadStatus::Error: return QStringLiteral("error");
    case LeadStatus::Loss: return QStringLiteral("loss");
    }
    return {};
}

QString statusLabel(LeadStatus status)
{
    QString key = statusKey(status);
    key[0] = key[0].toUpper();
    return key;
}

std::optional<LeadStatus> statusFromKey(const QString &text)
{
    for (LeadStatus s : kAllStatuses) {
        if (text.compare(statusKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

QString sourceKey(LeadSource source)
{
    switch (source) {
    case LeadSource::Webhook: return QStringLiteral("webhook");
    case LeadSource::Import: return QStringLiteral("import");
    case LeadSource::Polling: return QStringLiteral("polling");
    case LeadSource::Api: return QStringLiteral("api");
    }
    return {};
}

std::optional<LeadSource> sourceFromKey(const QString &text)
{
    for (LeadSource s : {LeadSource::Webhook, LeadSource::Import, LeadSource::Polling, LeadSource::Api}) {
        if (text.compare(sourceKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

} // namespace leadkeeper
