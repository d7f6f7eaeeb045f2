#pragma once

#include <QMainWindow>

#include <chrono>
#include <optional>

class QLabel;
class QModelIndex;
class QSplitter;
class QStackedWidget;
class QTableView;
class QVBoxLayout;

namespace leadkeeper {
class LeadLogModel;
class ListenerThread;
class SavedViewModel;
class StatusCountModel;
struct DeskFilter;
} // namespace leadkeeper

namespace leadkeeper::ui {

class EmptyLogPage;
class FilterBar;
class StatusSidebar;

/**
 * The desk's main window: the whole lead log (LeadLogModel) with a status sidebar with live
 * counts and saved views (StatusSidebar), a filter bar (FilterBar), where the webhook listener
 * listens, and when the last webhook arrived.
 *
 * Guarantees: the table follows the store without the user doing anything (at once when this
 * process's listener stores a delivery, within kPollInterval when another process commits); new
 * leads appear at the top without moving the selection, or the rows the user scrolled to. The
 * status bar always says whether leads can arrive here: the listener's address, or a red banner
 * with the reason it could not bind. An empty log shows what to do instead of an empty grid.
 *
 * Composition only: the model and the listener are created by the caller (runDesk) and must outlive
 * the window. Create the window before calling the listener's startAsync() (it shows the started
 * or failed signal), or after a successful start(): a listener already listening is shown as such.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kPollInterval{500};

    MainWindow(LeadLogModel *model, ListenerThread *listener, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Hooks for the parts the desk composes in (DeskController); tests may leave them out.
    QTableView *leadTable() const { return m_table; }
    /// Shows `pane` beside the table (the selected lead's details); replaces the one-line strip.
    void setDetailPane(QWidget *pane);
    /// Adds `widget` under the table (e.g. a bulk job's progress).
    void addBottomWidget(QWidget *widget);
    /// Shows only Error leads (the tray's "show errors").
    void showErrors();

Q_SIGNALS:
    /// The table's filter changed (statuses from the sidebar included).
    void filterApplied(const leadkeeper::DeskFilter &filter);

private:
    void buildTable();
    void buildStatusBar();
    void applyFilters();
    void applyView(const QVariantMap &spec);
    void saveView();

    void showListening(const QString &address);
    void showListenerFailed(const QString &reason);
    void showLastWebhook(std::optional<qint64> receivedAtMs);
    void showRefreshResult(bool ok);
    void showLeadCount();
    void showSelectedLead();

    LeadLogModel *m_model;
    ListenerThread *m_listener;
    QStackedWidget *m_pages = nullptr;
    QSplitter *m_content = nullptr;
    QVBoxLayout *m_rightLayout = nullptr;
    bool m_hasDetailPane = false;
    QTableView *m_table = nullptr;
    EmptyLogPage *m_emptyPage = nullptr;
    QLabel *m_leadCount = nullptr;
    QLabel *m_listenerStatus = nullptr;
    QLabel *m_lastWebhook = nullptr;
    QLabel *m_storeStatus = nullptr;
    QLabel *m_selectedLead = nullptr;
    QLabel *m_noMatch = nullptr;
    StatusCountModel *m_counts = nullptr;
    SavedViewModel *m_views = nullptr;
    FilterBar *m_filterBar = nullptr;
    StatusSidebar *m_sidebar = nullptr;
    std::optional<qint64> m_lastWebhookMs;
};

} // namespace leadkeeper::ui
