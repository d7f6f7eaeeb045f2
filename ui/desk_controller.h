#pragma once

#include "config/page_admin.h"
#include "settings/settings.h"
#include "store/lead_log_query.h"

#include <QHash>
#include <QObject>

namespace leadkeeper {
class ErrorCountWatcher;
class LeadDetail;
class LeadLogModel;
class ListenerThread;
class ProcessingEngine;
} // namespace leadkeeper

namespace leadkeeper::ui {

class JobProgressWidget;
class LeadDetailPane;
class MainWindow;
class ReprocessController;
class TrayNotifier;

/**
 * Composes the desk's working parts into the main window: the selected lead's detail pane and its
 * actions (process again, selected, all matching; correct; Loss/Restore) with the bulk job's
 * progress, the Pages and Settings dialogs, and the tray with its Error count.
 *
 * Wiring only: every rule lives in the engine or the models. Lives in the GUI thread; the window,
 * model, listener and engine are owned by the caller (runDesk) and outlive it.
 */
class DeskController : public QObject
{
    Q_OBJECT
public:
    DeskController(MainWindow *window, LeadLogModel *model, ListenerThread *listener,
                   ProcessingEngine *engine, const Settings &settings, QObject *parent = nullptr);
    ~DeskController() override;

    ReprocessController *actions() const { return m_actions; }
    LeadDetailPane *detailPane() const { return m_pane; }

private:
    void buildMenus();
    void followSelection();
    void followFilter(const DeskFilter &filter);
    /// Page and form names for the filter's description (the model's choices).
    void learnNames(const QList<LeadLogQuery::Choice> &pages,
                    const QList<LeadLogQuery::Choice> &forms);
    void openPages();
    void openSettings();
    void applySettings(const Settings &settings, const QStringList &changedKeys);

    MainWindow *m_window;
    LeadLogModel *m_model;
    ListenerThread *m_listener;
    Settings m_settings;
    PageAdminContext m_admin;
    LeadDetail *m_detail = nullptr;
    ReprocessController *m_actions = nullptr;
    LeadDetailPane *m_pane = nullptr;
    JobProgressWidget *m_job = nullptr;
    ErrorCountWatcher *m_errorCount = nullptr;
    TrayNotifier *m_tray = nullptr;
    QHash<QString, QString> m_pageNames; ///< Meta id → name, where the admin gave one
    QHash<QString, QString> m_formNames;
};

} // namespace leadkeeper::ui
