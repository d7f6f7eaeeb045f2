#pragma once

#include "settings/settings.h"
#include "store/database.h"

#include <memory>

namespace leadkeeper {
class LeadLogModel;
class ListenerThread;
class ProcessingDispatcher;
class ProcessingEngine;
namespace ui {
class DeskController;
class MainWindow;
} // namespace ui
} // namespace leadkeeper

namespace leadkeeper::bench {

/**
 * The desk exactly as ui/desk_entry.cpp's runDesk() composes it — LeadLogModel, ListenerThread,
 * ProcessingEngine (configFrom(settings)), ProcessingDispatcher, MainWindow, DeskController and
 * the same four connections — without the QApplication, option parsing and exec() around it.
 *
 * A LOCAL EQUIVALENT, kept line for line with runDesk() because runDesk() does not expose its
 * composition (it builds and runs it inside one function). When ui/ gets the extraction proposed
 * in bench/desk_stall/README.md ("the desk's composition root"), this file is deleted and the
 * benchmark uses that class instead. Construct after the QApplication; start() as runDesk() does
 * after composing; stop() as it does after exec().
 */
class DeskComposition
{
public:
    DeskComposition(const Settings &settings, Database database);
    ~DeskComposition();

    /// listener.startAsync() and dispatcher.start(), as runDesk() does; false if processing
    /// cannot run (the desk only warns).
    bool start(QString *error);
    void stop();

    LeadLogModel &model() { return *m_model; }
    ListenerThread &listener() { return *m_listener; }
    ProcessingEngine &engine() { return *m_engine; }
    ui::MainWindow &window() { return *m_window; }
    ui::DeskController &controller() { return *m_controller; }

private:
    // In runDesk()'s order, destroyed in reverse.
    std::unique_ptr<LeadLogModel> m_model;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<ProcessingEngine> m_engine;
    std::unique_ptr<ProcessingDispatcher> m_dispatcher;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<ui::DeskController> m_controller;
};

} // namespace leadkeeper::bench
