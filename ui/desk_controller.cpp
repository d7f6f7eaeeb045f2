#include "desk_controller.h"

#include "desk_filter_text.h"
#include "error_count_watcher.h"
#include "ingest/listener_thread.h"
#include "job_progress_widget.h"
#include "lead_detail.h"
#include "lead_detail_pane.h"
#include "lead_log_model.h"
#include "main_window.h"
#include "pages_dialog.h"
#include "processing/processing_engine.h"
#include "processing/reprocess_job.h"
#include "reprocess_controller.h"
#include "settings/settings_writer.h"
#include "settings_dialog.h"
#include "store/lead_log_query.h"
#include "tray_notifier.h"

#include <QApplication>
#include <QDir>
#include <QItemSelectionModel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableView>

namespace leadkeeper::ui {

DeskController::DeskController(MainWindow *window, LeadLogModel *model, ListenerThread *listener,
                               ProcessingEngine *engine, const Settings &settings, QObject *parent)
    : QObject(parent), m_window(window), m_model(model), m_listener(listener), m_settings(settings)
{
    m_admin.databasePath = settings.databasePath();
    m_admin.graphUrl = settings.graphUrl();
    m_admin.graphVersion = settings.graphVersion();
    m_admin.graphTimeoutMs = settings.graphTimeoutMs();

    m_detail = new LeadDetail(settings.databasePath(), settings.defaultRegion(), this);
    model->setDefaultPhoneRegion(settings.defaultRegion());
    m_actions = new ReprocessController(*engine, m_detail, QDir::home().dirName(), window);
    m_pane = new LeadDetailPane(m_detail, m_actions);
    m_job = new JobProgressWidget(m_actions);
    window->setDetailPane(m_pane);
    window->addBottomWidget(m_job);
    buildMenus();

    connect(window->leadTable()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeskController::followSelection);
    connect(window->leadTable()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeskController::followSelection);
    connect(window, &MainWindow::filterApplied, this, &DeskController::followFilter);
    connect(model, &LeadLogModel::choicesLoaded, this, &DeskController::learnNames);
    connect(m_actions, &ReprocessController::leadChanged, model, &LeadLogModel::requestRefresh);
    connect(m_actions, &ReprocessController::message, window,
            [window](const QString &text, bool) { window->statusBar()->showMessage(text, 8000); });
    followFilter(model->filter());

    m_errorCount = new ErrorCountWatcher(settings.databasePath(), this);
    m_tray = new TrayNotifier(QApplication::windowIcon(), this);
    m_tray->setNotificationsEnabled(SettingsDialog::notificationsEnabled(settings));
    connect(m_errorCount, &ErrorCountWatcher::countChanged, m_tray, &TrayNotifier::setErrorCount);
    connect(engine, &ProcessingEngine::processed, m_errorCount, &ErrorCountWatcher::refresh);
    connect(model, &LeadLogModel::refreshed, m_errorCount, &ErrorCountWatcher::refresh);
    connect(m_tray, &TrayNotifier::showErrorsRequested, window, &MainWindow::showErrors);
    m_errorCount->refresh();
}

DeskController::~DeskController() = default;

void DeskController::buildMenus()
{
    QMenu *lead = m_window->menuBar()->addMenu(tr("&Lead"));
    lead->addActions(m_actions->actions()); // their shortcuts work through the menu
    QMenu *setup = m_window->menuBar()->addMenu(tr("&Setup"));
    setup->addAction(tr("&Pages and forms…"), QKeySequence(tr("Ctrl+Shift+P")), this,
                     &DeskController::openPages);
    setup->addAction(tr("&Settings…"), QKeySequence::Preferences, this,
                     &DeskController::openSettings);
    setup->addSeparator();
    setup->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
}

void DeskController::followSelection()
{
    const QItemSelectionModel *selection = m_window->leadTable()->selectionModel();
    QStringList ids;
    const QModelIndexList rows = selection->selectedRows();
    for (const QModelIndex &row : rows) {
        const QString id = row.data(LeadLogModel::LeadgenIdRole).toString();
        if (!id.isEmpty())
            ids << id;
    }
    m_actions->setSelectedLeadgenIds(ids);
    const QModelIndex current = selection->currentIndex();
    const QString currentId = current.isValid() && selection->isRowSelected(current.row())
                                  ? current.data(LeadLogModel::LeadgenIdRole).toString()
                                  : QString();
    if (!currentId.isEmpty())
        m_detail->load(currentId);
    else if (ids.isEmpty())
        m_detail->clear();
    else
        m_detail->load(ids.constFirst());
}

void DeskController::followFilter(const DeskFilter &filter)
{
    // The bulk job resolves the same filter with the same WHERE builder as the table.
    ReprocessSelection selection;
    selection.filter = filter;
    m_actions->setMatchingSelection(selection, describeDeskFilter(filter, m_pageNames, m_formNames));
}

void DeskController::learnNames(const QList<LeadLogQuery::Choice> &pages,
                                const QList<LeadLogQuery::Choice> &forms)
{
    m_pageNames.clear();
    for (const LeadLogQuery::Choice &c : pages)
        m_pageNames.insert(c.id, c.name);
    m_formNames.clear();
    for (const LeadLogQuery::Choice &c : forms)
        m_formNames.insert(c.id, c.name);
    followFilter(m_model->filter());
}

void DeskController::openPages()
{
    auto *dialog = new PagesDialog(m_admin, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PagesDialog::processWaitingRequested, m_actions,
            [this](const ReprocessSelection &selection) {
                m_actions->processSelection(selection, tr("waiting leads"));
            });
    connect(dialog, &QDialog::finished, m_model, [this] { m_model->loadChoices(); });
    // The shown lead's page and form names and mapping come from the setup: read them again (on
    // LeadDetail's reader thread) rather than keep saying "not mapped" until it is reselected.
    connect(dialog, &PagesDialog::setupChanged, m_detail, &LeadDetail::reload);
    dialog->open();
}

void DeskController::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, m_tray->notificationsEnabled(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::notificationsToggled, m_tray,
            &TrayNotifier::setNotificationsEnabled);
    connect(dialog, &SettingsDialog::settingsApplied, this, &DeskController::applySettings);
    dialog->open();
}

void DeskController::applySettings(const Settings &settings, const QStringList &changedKeys)
{
    m_settings = settings;
    if (std::any_of(changedKeys.cbegin(), changedKeys.cend(), SettingsWriter::affectsListener)) {
        // Rebinds at once: the window shows the new address, or a banner if it cannot bind.
        m_listener->stop();
        m_listener->setSettings(settings);
        m_listener->startAsync();
    }
    if (std::any_of(changedKeys.cbegin(), changedKeys.cend(), SettingsWriter::needsRestart))
        m_window->statusBar()->showMessage(
            tr("Some changes take effect after Leadkeeper restarts."), 15000);
}

} // namespace leadkeeper::ui
