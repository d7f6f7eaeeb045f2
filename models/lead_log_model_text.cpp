// LeadLogModel: what its cells and headers say (the loading and paging is in lead_log_model.cpp).

#include "lead_log_model.h"

#include <QDateTime>

namespace leadkeeper {

QString LeadLogModel::formatTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch)
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString LeadLogModel::sourceLabel(LeadSource source)
{
    switch (source) {
    case LeadSource::Webhook:
        return tr("Webhook");
    case LeadSource::Import:
        return tr("Import");
    case LeadSource::Polling:
        return tr("Polling");
    case LeadSource::Api:
        return tr("API");
    }
    return {};
}

QString LeadLogModel::platformLabel(const QString &platform)
{
    if (platform == QLatin1String("facebook"))
        return tr("Facebook");
    if (platform == QLatin1String("instagram"))
        return tr("Instagram");
    return {}; // not known until the lead itself is fetched: an empty cell, not a scary word
}

QString LeadLogModel::displayText(const DeskRow &r, int column) const
{
    switch (column) {
    case ReceivedColumn:
        return formatTime(r.receivedAtMs);
    case CreatedColumn:
        return r.createdAtMs ? formatTime(*r.createdAtMs) : QString();
    case StatusColumn:
        return statusLabel(r.status);
    case NameColumn:
        return r.name;
    case PhoneColumn:
        return r.phone;
    // Names where the admin gave them; the Meta id until then.
    case PageColumn:
        return r.pageName.isEmpty() ? r.pageId : r.pageName;
    case FormColumn:
        return r.formName.isEmpty() ? r.formId : r.formName;
    case SourceColumn:
        return sourceLabel(r.source);
    case PlatformColumn:
        return platformLabel(r.platform);
    case OrganicColumn:
        return r.organic ? tr("Yes") : tr("No");
    // A table cell shows one line; the full message stays in the entry.
    case ErrorColumn:
        return r.errorMessage.simplified();
    }
    return {};
}

QVariant LeadLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ReceivedColumn:
            return tr("Received");
        case CreatedColumn:
            return tr("Submitted");
        case StatusColumn:
            return tr("Status");
        case NameColumn:
            return tr("Name");
        case PhoneColumn:
            return tr("Phone");
        case PageColumn:
            return tr("Page");
        case FormColumn:
            return tr("Form");
        case SourceColumn:
            return tr("Source");
        case PlatformColumn:
            return tr("Platform");
        case OrganicColumn:
            return tr("Organic");
        case ErrorColumn:
            return tr("Error");
        }
    } else if (role == Qt::ToolTipRole) {
        const QString sortable = sortKeyForColumn(section) ? tr(" Click to sort.") : QString();
        switch (section) {
        case ReceivedColumn:
            return tr("When Leadkeeper stored the lead (your local time).") + sortable;
        case CreatedColumn:
            return tr("When the person submitted the form on Facebook or Instagram (your local "
                      "time).") +
                   sortable;
        case StatusColumn:
            return tr("Where the lead is: Pending, Processed, Error, ...") + sortable;
        case NameColumn:
            return tr("The person's name, from the lead once Meta sent it.") + sortable;
        case PhoneColumn:
            return tr("The person's phone number (international format once processed).");
        case PageColumn:
            return tr("The Facebook Page the lead came from (its Meta id until the page is set "
                      "up).");
        case FormColumn:
            return tr("The lead form that was filled in (its Meta id until the form is mapped).");
        case SourceColumn:
            return tr("How the lead reached Leadkeeper.");
        case PlatformColumn:
            return tr("Facebook or Instagram (known once the lead has been fetched from Meta).");
        case OrganicColumn:
            return tr("Yes when the lead came without an ad.");
        case ErrorColumn:
            return tr("Why the lead failed, and what to do about it.");
        }
    }
    return {};
}

QHash<int, QByteArray> LeadLogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EntryIdRole, "entryId");
    names.insert(LeadgenIdRole, "leadgenId");
    names.insert(StatusRole, "status");
    names.insert(ReceivedAtRole, "receivedAt");
    return names;
}

} // namespace leadkeeper
