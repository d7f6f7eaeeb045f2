#include "pages_dialog.h"

#include "form_list_model.h"
#include "mapping_editor.h"
#include "page_editor.h"
#include "page_list_model.h"

#include <QDialogButtonBox>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace leadkeeper::ui {

namespace {

QTableView *makeTable(QAbstractItemModel *model)
{
    auto *t = new QTableView;
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    return t;
}

QString pageTitle(const PageConfig &p)
{
    return p.name.isEmpty() ? p.pageId : p.name;
}

} // namespace

PagesDialog::PagesDialog(const PageAdminContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_pages(new PageListModel(this))
    , m_forms(new FormListModel(this))
{
    setWindowTitle(tr("Pages and forms"));
    resize(1100, 640);

    // Left: the pages.
    m_pageTable = makeTable(m_pages);
    m_pageTable->setColumnWidth(PageListModel::NameColumn, 130);
    m_pageTable->setColumnWidth(PageListModel::PageIdColumn, 135);
    m_pageTable->setColumnWidth(PageListModel::StateColumn,
                                m_pageTable->fontMetrics().horizontalAdvance(tr("Processing")) + 24);
    auto *addPage = new QPushButton(tr("Add page"));
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Facebook pages whose leads Leadkeeper receives:")));
    leftLayout->addWidget(m_pageTable, 1);
    leftLayout->addWidget(addPage, 0, Qt::AlignLeft);

    // Right: the selected page and its forms.
    m_editor = new PageEditor(context);
    auto *pageBox = new QGroupBox(tr("Page"));
    auto *pageLayout = new QVBoxLayout(pageBox);
    pageLayout->addWidget(m_editor);

    m_formBox = new QGroupBox(tr("Lead forms of this page"));
    m_formTable = makeTable(m_forms);
    m_formTable->setColumnWidth(FormListModel::NameColumn, 175);
    m_formTable->setColumnWidth(FormListModel::FormIdColumn, 135);
    // "not fetched", "Archived": short, but never cut off (sized again whenever the forms change).
    const auto fitMetaStatus = [this] { m_formTable->resizeColumnToContents(FormListModel::MetaStatusColumn); };
    connect(m_forms, &QAbstractItemModel::modelReset, this, fitMetaStatus);
    connect(m_forms, &QAbstractItemModel::rowsInserted, this, fitMetaStatus);
    connect(m_forms, &QAbstractItemModel::dataChanged, this, fitMetaStatus);
    m_fetch = new QPushButton(tr("Fetch forms from Meta"));
    m_cancelFetch = new QPushButton(tr("Cancel"));
    m_map = new QPushButton(tr("Map questions…"));
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_formStatus = new QLabel;
    m_formStatus->setTextFormat(Qt::PlainText);
    m_formStatus->setWordWrap(true);
    auto *formButtons = new QHBoxLayout;
    formButtons->addWidget(m_fetch);
    formButtons->addWidget(m_busy);
    formButtons->addWidget(m_cancelFetch);
    formButtons->addStretch();
    formButtons->addWidget(m_map);
    auto *formLayout = new QVBoxLayout(m_formBox);
    formLayout->addWidget(m_formTable, 1);
    formLayout->addLayout(formButtons);
    formLayout->addWidget(m_formStatus);

    // The offer to process leads a change made processable.
    m_offer = new QFrame;
    m_offer->setFrameShape(QFrame::StyledPanel);
    m_offer->setStyleSheet(QStringLiteral("QFrame { background: #e8f5e9; border-radius: 4px; }"));
    m_offerText = new QLabel;
    m_offerText->setTextFormat(Qt::PlainText);
    m_offerText->setWordWrap(true);
    m_offerButton = new QPushButton;
    auto *offerLayout = new QHBoxLayout(m_offer);
    offerLayout->addWidget(m_offerText, 1);
    offerLayout->addWidget(m_offerButton);
    m_offer->hide();

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(pageBox);
    rightLayout->addWidget(m_formBox, 1);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({480, 620});

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_offer);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(addPage, &QPushButton::clicked, this, [this] {
        cancelFetch(); // its answer belongs to the page that was selected
        m_formStatus->clear();
        m_pageTable->clearSelection();
        m_current = {};
        m_editor->setPage({});
        m_forms->setForms({});
        m_editor->pageIdEdit()->setFocus();
        updateFormButtons();
    });
    connect(m_pageTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PagesDialog::showSelectedPage);
    connect(m_formTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PagesDialog::updateFormButtons);
    connect(m_formTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex &i) { editMapping(i.row()); });
    connect(m_map, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_formTable->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            editMapping(rows.first().row());
    });
    connect(m_editor, &PageEditor::pageSaved, this, &PagesDialog::onPageSaved);
    connect(m_fetch, &QPushButton::clicked, this, &PagesDialog::fetchForms);
    connect(m_cancelFetch, &QPushButton::clicked, this, &PagesDialog::cancelFetch);
    connect(m_offerButton, &QPushButton::clicked, this, [this] {
        m_offer->hide();
        Q_EMIT processWaitingRequested(m_offerSelection);
    });
    connect(&m_loading, &QFutureWatcher<Loaded>::finished, this, &PagesDialog::onLoaded);
    connect(&m_fetching, &QFutureWatcher<Fetched>::finished, this, &PagesDialog::onFetched);

    updateFormButtons();
    loadPages();
}

PagesDialog::~PagesDialog() = default;

void PagesDialog::loadPages()
{
    const PageAdminContext context = m_context;
    m_formStatus->setText(tr("Loading pages…"));
    m_loading.setFuture(QtConcurrent::run([context] {
        Loaded l;
        l.pages = PageAdmin::loadPages(context, &l.error);
        return l;
    }));
}

void PagesDialog::onLoaded()
{
    const Loaded l = m_loading.result();
    m_pages->setPages(l.pages);
    m_formStatus->setText(l.error);
    if (m_pages->rowCount() > 0)
        selectPage(0);
    else
        m_formStatus->setText(l.error.isEmpty() ? tr("No page yet: fill in the page on the right "
                                                     "and save it.")
                                                : l.error);
    Q_EMIT pagesLoaded();
}

void PagesDialog::selectPage(int row)
{
    m_pageTable->selectRow(row);
}

void PagesDialog::showSelectedPage()
{
    const QModelIndexList rows = m_pageTable->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const PageOverview &o = m_pages->pageAt(rows.first().row());
    if (o.page.id != m_current.id)
        cancelFetch();
    m_current = o.page;
    m_editor->setPage(o);
    m_forms->setForms(o.forms);
    m_forms->mergeFetched(o.fetchedForms);
    m_forms->setWaiting(o.unconfiguredByForm);
    m_formStatus->setText(m_forms->rowCount() == 0 ? tr("Fetch the forms from Meta to map their questions.")
                                                   : QString());
    updateFormButtons();
}

void PagesDialog::onPageSaved(const PageOverview &page, int waiting)
{
    const bool isNew = m_current.id != page.page.id;
    const int row = m_pages->upsert(page);
    m_current = page.page;
    if (isNew) {
        const QSignalBlocker block(m_pageTable->selectionModel());
        m_pageTable->selectRow(row);
        m_forms->setForms(page.forms);
        m_forms->mergeFetched(page.fetchedForms);
        m_forms->setWaiting(page.unconfiguredByForm);
        m_formStatus->setText(tr("Now fetch the page's forms from Meta to map their questions."));
    }
    ReprocessSelection selection;
    selection.statuses = {LeadStatus::Unconfigured, LeadStatus::Disabled};
    selection.pageId = page.page.pageId;
    offer(waiting, selection, pageTitle(page.page));
    updateFormButtons();
    Q_EMIT setupChanged();
}

void PagesDialog::fetchForms()
{
    if (m_current.id == 0)
        return;
    const PageAdminContext context = m_context;
    const PageConfig page = m_current;
    const QString token = m_editor->typedToken();
    m_fetchActive = true;
    m_fetching.setFuture(QtConcurrent::run([context, page, token] {
        Fetched f;
        f.pageId = page.pageId;
        f.forms = PageAdmin::fetchForms(context, page, token, &f.error);
        return f;
    }));
    m_formStatus->setText(tr("Asking Meta for the lead forms of %1…").arg(pageTitle(page)));
    updateFormButtons();
}

void PagesDialog::cancelFetch()
{
    if (!m_fetchActive)
        return;
    // A request in flight cannot be interrupted; its answer is simply not used.
    m_fetchActive = false;
    m_formStatus->setText(tr("Cancelled."));
    updateFormButtons();
}

void PagesDialog::onFetched()
{
    if (m_fetching.future().resultCount() == 0)
        return;
    const Fetched f = m_fetching.result();
    // The store now holds what Meta listed, even for a fetch whose answer is no longer wanted: the
    // page's list entry follows it, so selecting the page again shows what the next dialog would.
    const int pageRow = f.error.isEmpty() ? m_pages->rowOfPageId(f.pageId) : -1;
    if (pageRow >= 0) {
        PageOverview o = m_pages->pageAt(pageRow);
        o.fetchedForms = f.forms;
        m_pages->upsert(o);
    }
    if (!m_fetchActive || f.pageId != m_current.pageId)
        return;
    m_fetchActive = false;
    updateFormButtons();
    if (!f.error.isEmpty()) {
        m_formStatus->setText(f.error);
        return;
    }
    const int added = m_forms->mergeFetched(f.forms);
    const int total = int(f.forms.size());
    m_formStatus->setText(total == 0 ? tr("Meta lists no lead forms for this page.")
                          : added == 0 ? tr("Meta lists no forms that are not here yet.")
                          : added == 1 ? tr("1 new form found. Select it and click “Map questions…”.")
                                       : tr("%1 new forms found. Select one and click “Map "
                                            "questions…”.")
                                             .arg(added));
    Q_EMIT formsFetched(added);
}

void PagesDialog::editMapping(int formRow)
{
    if (formRow < 0 || formRow >= m_forms->rowCount() || m_current.id == 0)
        return;
    auto *editor = new MappingEditor(m_context, m_current, m_forms->entryAt(formRow).form, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &MappingEditor::formSaved, this, [this](const FormMapping &form, int waiting) {
        m_forms->upsert(form);
        m_formStatus->setText(tr("Mapping of “%1” saved.")
                                  .arg(form.formName.isEmpty() ? form.formId : form.formName));
        ReprocessSelection selection;
        selection.statuses = {LeadStatus::Unconfigured, LeadStatus::Disabled};
        selection.pageId = m_current.pageId;
        selection.formId = form.formId;
        offer(waiting, selection, form.formName.isEmpty() ? form.formId : form.formName);
        // The page's list entry keeps its forms for the next time it is selected.
        for (int r = 0; r < m_pages->rowCount(); ++r) {
            PageOverview o = m_pages->pageAt(r);
            if (o.page.id != m_current.id)
                continue;
            o.forms.clear();
            for (int i = 0; i < m_forms->rowCount(); ++i)
                if (m_forms->entryAt(i).form.id != 0)
                    o.forms.append(m_forms->entryAt(i).form);
            m_pages->upsert(o);
        }
        Q_EMIT setupChanged();
    });
    editor->open();
}

void PagesDialog::offer(int waiting, const ReprocessSelection &selection, const QString &what)
{
    if (waiting <= 0)
        return;
    m_offerSelection = selection;
    m_offerText->setText(waiting == 1
                             ? tr("1 lead of %1 was waiting and can be processed now.").arg(what)
                             : tr("%1 leads of %2 were waiting and can be processed now.").arg(waiting).arg(what));
    m_offerButton->setText(waiting == 1 ? tr("Process this lead now")
                                        : tr("Process these %1 leads now").arg(waiting));
    m_offer->show();
}

void PagesDialog::updateFormButtons()
{
    const bool stored = m_current.id != 0;
    const bool fetching = m_fetchActive;
    m_formBox->setEnabled(stored);
    m_fetch->setEnabled(stored && !fetching);
    m_busy->setVisible(fetching);
    m_cancelFetch->setVisible(fetching);
    m_map->setEnabled(stored && m_formTable->selectionModel()->hasSelection());
}

} // namespace leadkeeper::ui
