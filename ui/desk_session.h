#pragma once

#include "settings/settings.h"
#include "store/database.h"

#include <memory>

namespace leadkeeper {
class LeadLogModel;
class ListenerThread;
class ProcessingDispatcher;
class ProcessingEngine;
} // namespace leadkeeper

namespace leadkeeper::ui {

class DeskController;
class MainWindow;

/**
 * The desk's composition root: every service of a running desk, made once and handed down — the
 * lead log model, the webhook listener, the processing engine and its dispatcher (the desk
 * processes leads like `leadkeeper serve`, on worker threads; with a serve instance on the same
 * database both may work and a lead is still processed once), the main window and the controller
 * that fills it. runDesk() and bench/desk_stall use it.
 *
 * Construct after the QApplication; start() before exec(), stop() after it (the destructor stops
 * too). Objects die in the reverse order of their making.
 */
class DeskSession
{
public:
    DeskSession(const Settings &settings, Database database);
    ~DeskSession();
    DeskSession(const DeskSession &) = delete;
    DeskSession &operator=(const DeskSession &) = delete;

    /// Starts the listener (it reports in the window when it cannot bind) and processing; false
    /// with *error when processing cannot run (the desk still shows the log).
    bool start(QString *error);
    void stop();

    LeadLogModel &model() { return *m_model; }
    ListenerThread &listener() { return *m_listener; }
    ProcessingEngine &engine() { return *m_engine; }
    MainWindow &window() { return *m_window; }
    DeskController &controller() { return *m_controller; }

private:
    std::unique_ptr<LeadLogModel> m_model;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<ProcessingEngine> m_engine;
    std::unique_ptr<ProcessingDispatcher> m_dispatcher;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<DeskController> m_controller;
};

} // namespace leadkeeper::ui
