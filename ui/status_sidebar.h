#pragma once

#include "store/lead_status.h"

#include <QVariantMap>
#include <QWidget>

#include <optional>

class QListView;

namespace leadkeeper {
class SavedViewModel;
class StatusCountModel;
} // namespace leadkeeper

namespace leadkeeper::ui {

/**
 * The desk's left column, like mail folders: "All leads" and each status with its live count
 * (StatusCountModel), then the saved views (SavedViewModel). Choosing a status or a view emits a
 * signal; the window applies it. Views can be removed from their context menu. Display only.
 */
class StatusSidebar : public QWidget
{
    Q_OBJECT
public:
    StatusSidebar(StatusCountModel *counts, SavedViewModel *views, QWidget *parent = nullptr);

    std::optional<LeadStatus> currentStatus() const;
    /// Selects the status row without emitting statusChosen().
    void setCurrentStatus(std::optional<LeadStatus> status);

Q_SIGNALS:
    void statusChosen(std::optional<leadkeeper::LeadStatus> status);
    void viewChosen(const QVariantMap &spec);

private:
    StatusCountModel *m_counts;
    SavedViewModel *m_views;
    QListView *m_statusList = nullptr;
    QListView *m_viewList = nullptr;
};

} // namespace leadkeeper::ui
