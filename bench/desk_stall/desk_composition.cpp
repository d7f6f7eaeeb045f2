#include "desk_composition.h"

#include "desk_controller.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "main_window.h"
#include "processing/processing_dispatcher.h"
#include "processing/processing_engine.h"

#include <QLoggingCategory>

namespace leadkeeper::bench {

namespace {
Q_LOGGING_CATEGORY(lcDesk, "leadkeeper.desk")
}

// Keep in step with ui/desk_entry.cpp runDesk(): same objects, same order, same connections.
DeskComposition::DeskComposition(const Settings &settings, Database database)
{
    m_model = std::make_unique<LeadLogModel>(std::move(database));
    m_listener = std::make_unique<ListenerThread>(settings);
    m_engine = std::make_unique<ProcessingEngine>(ProcessingEngine::configFrom(settings));
    m_dispatcher = std::make_unique<ProcessingDispatcher>(*m_engine, settings.databasePath());
    m_window = std::make_unique<ui::MainWindow>(m_model.get(), m_listener.get());
    m_controller = std::make_unique<ui::DeskController>(m_window.get(), m_model.get(),
                                                        m_listener.get(), m_engine.get(), settings);
    QObject::connect(m_listener.get(), &ListenerThread::failed, m_listener.get(),
                     [](const QString &reason) { qCWarning(lcDesk).noquote() << reason; });
    QObject::connect(m_listener.get(), &ListenerThread::deliveryStored, m_dispatcher.get(),
                     &ProcessingDispatcher::wake);
    QObject::connect(m_engine.get(), &ProcessingEngine::processed, m_model.get(),
                     &LeadLogModel::requestRefresh);
}

DeskComposition::~DeskComposition()
{
    stop();
    m_controller.reset();
    m_window.reset();
    m_dispatcher.reset();
    m_engine.reset();
    m_listener.reset();
    m_model.reset();
}

bool DeskComposition::start(QString *error)
{
    m_listener->startAsync();
    return m_dispatcher->start(error);
}

void DeskComposition::stop()
{
    if (m_listener)
        m_listener->stop();
    if (m_dispatcher)
        m_dispatcher->stop();
}

} // namespace leadkeeper::bench
