#include "desk_session.h"

#include "desk_controller.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "main_window.h"
#include "processing/processing_dispatcher.h"
#include "processing/processing_engine.h"

#include <QLoggingCategory>

namespace leadkeeper::ui {

namespace {
Q_LOGGING_CATEGORY(lcDesk, "leadkeeper.desk")
}

DeskSession::DeskSession(const Settings &settings, Database database)
    : m_model(std::make_unique<LeadLogModel>(std::move(database))),
      m_listener(std::make_unique<ListenerThread>(settings)),
      m_engine(std::make_unique<ProcessingEngine>(ProcessingEngine::configFrom(settings))),
      m_dispatcher(std::make_unique<ProcessingDispatcher>(*m_engine, settings.databasePath())),
      m_window(std::make_unique<MainWindow>(m_model.get(), m_listener.get())),
      m_controller(std::make_unique<DeskController>(m_window.get(), m_model.get(),
                                                    m_listener.get(), m_engine.get(), settings))
{
    // The window shows it; the log keeps it for whoever runs the desk from a terminal or a session.
    QObject::connect(m_listener.get(), &ListenerThread::failed, m_listener.get(),
                     [](const QString &reason) { qCWarning(lcDesk).noquote() << reason; });
    QObject::connect(m_listener.get(), &ListenerThread::deliveryStored, m_dispatcher.get(),
                     &ProcessingDispatcher::wake);
    QObject::connect(m_engine.get(), &ProcessingEngine::processed, m_model.get(),
                     &LeadLogModel::requestRefresh);
}

DeskSession::~DeskSession()
{
    stop();
    // Members die in reverse order of declaration: the controller and window before the services.
}

bool DeskSession::start(QString *error)
{
    m_listener->startAsync();
    return m_dispatcher->start(error);
}

void DeskSession::stop()
{
    m_listener->stop();
    m_dispatcher->stop();
}

} // namespace leadkeeper::ui
