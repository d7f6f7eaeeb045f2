#pragma once

#include "config/page_admin.h"
#include "processing/reprocess_job.h"

#include <QDialog>
#include <QFutureWatcher>

class QFrame;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace leadkeeper {
class FormListModel;
class PageListModel;
} // namespace leadkeeper

namespace leadkeeper::ui {

class PageEditor;

/**
 * "Pages and forms": the admin's place to connect Facebook pages and map their lead forms. Left,
 * the pages (PageListModel) with "Add page"; right, the selected page in a PageEditor, and its
 * forms (FormListModel) with "Fetch forms from Meta" and "Map questions…" (MappingEditor).
 * What a fetch found is kept in the store by PageAdmin::fetchForms() (apart from the mappings: a
 * fetched form is not mapped until its mapping is saved), so fetched forms stay listed for the page
 * when it is selected again, in the next dialog and after a restart, with their questions.
 *
 * Everything that touches the store, the secrets or Meta runs on worker threads through PageAdmin;
 * the fetch shows a busy bar and can be cancelled (its answer is then not shown, though the store
 * keeps what Meta answered), and a result for a page that is no longer selected is not shown
 * either. When a save makes waiting leads processable (a page enabled, a form mapped), the dialog
 * offers "Process these N leads now"; the click emits processWaitingRequested() with the
 * ReprocessSelection for the caller's reprocess controller.
 */
class PagesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PagesDialog(const PageAdminContext &context, QWidget *parent = nullptr);
    ~PagesDialog() override;

    PageListModel *pageModel() const { return m_pages; }
    FormListModel *formModel() const { return m_forms; }
    PageEditor *pageEditor() const { return m_editor; }
    QPushButton *fetchButton() const { return m_fetch; }
    QPushButton *processOfferButton() const { return m_offerButton; }
    QLabel *formStatusLabel() const { return m_formStatus; }
    QTableView *formTable() const { return m_formTable; }
    /// Opens the mapping editor of the form in this row (also double-click / "Map questions…").
    void editMapping(int formRow);
    void selectPage(int row);

Q_SIGNALS:
    /// Emitted once loadPages() finished (for tests and a caller's "loading" state).
    void pagesLoaded();
    void processWaitingRequested(const leadkeeper::ReprocessSelection &selection);
    void formsFetched(int newForms);
    /// A page or a form mapping was saved: what the desk shows about leads may have changed.
    void setupChanged();

private:
    struct Loaded
    {
        QList<PageOverview> pages;
        QString error;
    };
    struct Fetched
    {
        QString pageId; ///< the page Meta was asked about
        QList<GraphForm> forms;
        QString error;
    };
    void loadPages();
    void onLoaded();
    void showSelectedPage();
    void onPageSaved(const PageOverview &page, int waiting);
    void fetchForms();
    void cancelFetch();
    void onFetched();
    void offer(int waiting, const ReprocessSelection &selection, const QString &what);
    void updateFormButtons();

    PageAdminContext m_context;
    PageListModel *m_pages;
    FormListModel *m_forms;
    PageEditor *m_editor = nullptr;
    QTableView *m_pageTable = nullptr;
    QTableView *m_formTable = nullptr;
    QGroupBox *m_formBox = nullptr;
    QPushButton *m_fetch = nullptr;
    QPushButton *m_cancelFetch = nullptr;
    QPushButton *m_map = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_formStatus = nullptr;
    QFrame *m_offer = nullptr;
    QLabel *m_offerText = nullptr;
    QPushButton *m_offerButton = nullptr;
    ReprocessSelection m_offerSelection;
    PageConfig m_current;
    bool m_fetchActive = false; ///< a fetch whose answer is still wanted
    QFutureWatcher<Loaded> m_loading;
    QFutureWatcher<Fetched> m_fetching;
};

} // namespace leadkeeper::ui
