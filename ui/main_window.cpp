#include "main_window.h"

#include "empty_log_page.h"
#include "filter_bar.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "lead_table_view.h"
#include "plain_label.h"
#include "saved_view_model.h"
#include "status_count_model.h"
#include "status_sidebar.h"

#include <QHostAddress>
#include <QInputDialog>
#include <QSplitter>
#include <QLineEdit>
#include <QLocale>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

QString webhookUrl(const QString &address)
{
    return QStringLiteral("http://%1/webhooks/meta").arg(address);
}

bool isLoopback(const QString &address)
{
    QString host = address.left(address.lastIndexOf(QLatin1Char(':')));
    if (host.startsWith(QLatin1Char('[')))
        host = host.mid(1, host.size() - 2);
    return QHostAddress(host).isLoopback();
}

constexpr auto kBannerStyle = "QLabel { background: #b91c1c; color: white; font-weight: bold;"
                              " padding: 2px 8px; border-radius: 3px; }";

} // namespace

MainWindow::MainWindow(LeadLogModel *model, ListenerThread *listener, QWidget *parent)
    : QMainWindow(parent), m_model(model), m_listener(listener)
{
    setWindowTitle(tr("Leadkeeper"));
    const QRect available = screen()->availableGeometry();
    resize(qMin(1440, available.width() - 40), qMin(860, available.height() - 80));

    m_counts = new StatusCountModel(this);
    m_views = new SavedViewModel(this);
    m_sidebar = new StatusSidebar(m_counts, m_views, this);
    m_sidebar->setObjectName(QStringLiteral("statusSidebar"));
    m_filterBar = new FilterBar(this);
    m_filterBar->setObjectName(QStringLiteral("filterBar"));
    m_pages = new QStackedWidget(this);
    auto *right = new QWidget(this);
    m_rightLayout = new QVBoxLayout(right);
    m_rightLayout->setContentsMargins(0, 0, 0, 0);
    m_rightLayout->setSpacing(0);
    m_rightLayout->addWidget(m_filterBar);
    m_content = new QSplitter(Qt::Horizontal, right);
    m_content->setChildrenCollapsible(false);
    m_content->addWidget(m_pages);
    m_rightLayout->addWidget(m_content, 1);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    m_sidebar->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("Unconfigured 10,000,000")) + 40);
    splitter->setSizes({m_sidebar->minimumWidth(), width()});
    splitter->setCollapsible(0, false);
    setCentralWidget(splitter);
    m_emptyPage = new EmptyLogPage(m_pages);
    m_pages->addWidget(m_emptyPage);
    buildTable();
    buildStatusBar();

    connect(m_listener, &ListenerThread::started, this, &MainWindow::showListening);
    connect(m_listener, &ListenerThread::failed, this, &MainWindow::showListenerFailed);
    connect(m_listener, &ListenerThread::deliveryStored, this,
            [this](int, int, qint64 receivedAtMs, const QStringList &) {
                m_model->requestRefresh();
                showLastWebhook(receivedAtMs);
            });
    connect(m_model, &LeadLogModel::refreshed, this, &MainWindow::showRefreshResult);
    connect(m_model, &LeadLogModel::rowsInserted, this, &MainWindow::showLeadCount);
    connect(m_model, &LeadLogModel::rowsRemoved, this, &MainWindow::showLeadCount);
    connect(m_model, &LeadLogModel::modelReset, this, &MainWindow::showLeadCount);
    connect(m_model, &LeadLogModel::layoutChanged, this, &MainWindow::showLeadCount);
    connect(m_model, &LeadLogModel::countSettled, this, &MainWindow::showLeadCount);
    connect(m_model, &LeadLogModel::statusCountsChanged, this, [this] {
        m_counts->setCounts(m_model->statusCounts());
        showLeadCount();
    });
    connect(m_model, &LeadLogModel::choicesLoaded, m_filterBar,
            [this](const QList<LeadLogQuery::Choice> &pages,
                   const QList<LeadLogQuery::Choice> &forms) {
                m_filterBar->setPages(pages);
                m_filterBar->setForms(forms);
            });
    connect(m_filterBar, &FilterBar::specChanged, this, &MainWindow::applyFilters);
    connect(m_filterBar, &FilterBar::saveRequested, this, &MainWindow::saveView);
    connect(m_sidebar, &StatusSidebar::statusChosen, this, &MainWindow::applyFilters);
    connect(m_sidebar, &StatusSidebar::viewChosen, this, &MainWindow::applyView);
    m_counts->setCounts(m_model->statusCounts());
    m_model->loadChoices();

    if (m_listener->isListening()) {
        showListening(m_listener->address());
    } else {
        m_listenerStatus->setText(tr("Starting the webhook listener…"));
        m_emptyPage->showStarting();
    }
    showLastWebhook(m_model->lastWebhookAt());
    showRefreshResult(m_model->lastError().isEmpty());
    showLeadCount();

    m_model->startWatching(kPollInterval);
}

MainWindow::~MainWindow()
{
    m_model->stopWatching();
}

void MainWindow::setDetailPane(QWidget *pane)
{
    m_hasDetailPane = true;
    m_selectedLead->hide();
    m_content->addWidget(pane);
    m_content->setStretchFactor(0, 3);
    m_content->setStretchFactor(1, 2);
}

void MainWindow::addBottomWidget(QWidget *widget)
{
    m_rightLayout->addWidget(widget);
}

void MainWindow::showErrors()
{
    m_sidebar->setCurrentStatus(LeadStatus::Error);
    applyFilters();
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::buildTable()
{
    auto *page = new QWidget(m_pages);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_table = new LeadTableView(m_model, page);

    // Filters that match nothing: say so over the empty grid, with the way out.
    m_noMatch = namedLabel(QStringLiteral("noMatch"), page);
    m_noMatch->setAlignment(Qt::AlignCenter);
    m_noMatch->setContentsMargins(8, 16, 8, 16);
    m_noMatch->hide();
    layout->addWidget(m_noMatch);

    layout->addWidget(m_table, 1);

    // The full story of the selected lead: the error column is cut to one short line.
    m_selectedLead = namedLabel(QStringLiteral("selectedLead"), page);
    m_selectedLead->setWordWrap(true);
    m_selectedLead->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_selectedLead->setContentsMargins(8, 6, 8, 6);
    m_selectedLead->setFrameShape(QFrame::StyledPanel);
    m_selectedLead->hide();
    layout->addWidget(m_selectedLead);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSelectedLead);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::showSelectedLead);
    connect(m_model, &LeadLogModel::dataChanged, this, &MainWindow::showSelectedLead);

    m_pages->addWidget(page);
}

void MainWindow::buildStatusBar()
{
    // Permanent widgets: a transient status message never hides whether leads can arrive.
    m_listenerStatus = namedLabel(QStringLiteral("listenerStatus"), statusBar());
    m_listenerStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_listenerStatus, 1);

    m_storeStatus = namedLabel(QStringLiteral("storeStatus"), statusBar());
    m_storeStatus->setStyleSheet(QLatin1String(kBannerStyle));
    m_storeStatus->hide();
    statusBar()->addPermanentWidget(m_storeStatus);

    m_leadCount = namedLabel(QStringLiteral("leadCount"), statusBar());
    statusBar()->addPermanentWidget(m_leadCount);

    m_lastWebhook = namedLabel(QStringLiteral("lastWebhookStatus"), statusBar());
    statusBar()->addPermanentWidget(m_lastWebhook);
}

void MainWindow::showListening(const QString &address)
{
    const QString url = webhookUrl(address);
    m_listenerStatus->setStyleSheet(QString());
    m_listenerStatus->setText(tr("Listening on %1").arg(url));
    m_emptyPage->showListening(url, isLoopback(address));
}

void MainWindow::showListenerFailed(const QString &reason)
{
    m_listenerStatus->setStyleSheet(QLatin1String(kBannerStyle));
    m_listenerStatus->setText(tr("Not receiving webhooks: %1").arg(reason));
    m_emptyPage->showListenerFailed(reason);
}

void MainWindow::showLastWebhook(std::optional<qint64> receivedAtMs)
{
    if (receivedAtMs && (!m_lastWebhookMs || *receivedAtMs > *m_lastWebhookMs))
        m_lastWebhookMs = receivedAtMs;
    m_lastWebhook->setText(
        m_lastWebhookMs ? tr("Last webhook: %1").arg(LeadLogModel::formatTime(*m_lastWebhookMs))
                        : tr("Last webhook: none yet"));
}

void MainWindow::showRefreshResult(bool ok)
{
    if (ok) {
        m_storeStatus->hide();
        // Webhooks stored by another process (a `leadkeeper serve` on this database) count too.
        showLastWebhook(m_model->lastWebhookAt());
        return;
    }
    m_storeStatus->setText(tr("The lead list is not up to date: %1").arg(m_model->lastError()));
    m_storeStatus->show();
}

void MainWindow::showLeadCount()
{
    const qint64 rows = m_model->rowCount();
    const qint64 total = m_counts->total();
    const bool filtering = !m_model->filter().isEmpty();
    const QLocale locale;
    QString text = rows == 1 ? tr("1 lead") : tr("%1 leads").arg(locale.toString(rows));
    if (!m_model->isCountExact())
        text = tr("%1+ leads, counting…").arg(locale.toString(rows));
    if (filtering)
        text += tr(" of %1").arg(locale.toString(total));
    m_leadCount->setText(text);
    m_leadCount->setVisible(total > 0);
    // The getting-started page only while the log itself is empty, not for a filter.
    const bool emptyLog = total == 0 && rows == 0 && !filtering;
    m_pages->setCurrentIndex(emptyLog ? 0 : 1);
    const bool noMatch = !emptyLog && rows == 0 && !m_model->isLoading();
    if (noMatch) {
        // The way out that is there: the status folders on the left, the filter bar above.
        QStringList names;
        for (LeadStatus s : m_model->filter().statuses)
            names << statusLabel(s);
        const QString statuses = names.join(tr(" or "));
        if (!statuses.isEmpty() && m_filterBar->isFiltering())
            m_noMatch->setText(tr("No %1 leads match these filters. Clear filters, or click “All "
                                  "leads” on the left.")
                                   .arg(statuses));
        else if (!statuses.isEmpty())
            m_noMatch->setText(tr("No %1 leads at the moment. Click “All leads” on the left to see "
                                  "every lead.")
                                   .arg(statuses));
        else
            m_noMatch->setText(tr("No leads match these filters. Clear filters to see every lead."));
    }
    m_noMatch->setVisible(noMatch);
}

void MainWindow::showSelectedLead()
{
    // The lead under the cursor, once it is selected (the view sets a current row on focus alone).
    const QItemSelectionModel *selection = m_table->selectionModel();
    const QModelIndex current = selection->currentIndex();
    const DeskRow *row = current.isValid() ? m_model->rowAt(current.row()) : nullptr;
    if (m_hasDetailPane || !current.isValid() || !selection->isRowSelected(current.row())) {
        m_selectedLead->hide();
        return;
    }
    if (!row)
        return; // being loaded: dataChanged brings it
    QString text = tr("Lead %1 · %2").arg(row->leadgenId, statusLabel(row->status));
    if (!row->errorMessage.isEmpty())
        text += QStringLiteral(": ") + row->errorMessage;
    m_selectedLead->setText(text);
    m_selectedLead->show();
}

void MainWindow::applyFilters()
{
    QVariantMap spec = m_filterBar->spec();
    if (const auto status = m_sidebar->currentStatus())
        spec.insert(QStringLiteral("statuses"), QStringList{statusKey(*status)});
    m_model->setFilter(SavedViewModel::toFilter(spec, QDateTime::currentDateTime()));
    showLeadCount();
    Q_EMIT filterApplied(m_model->filter());
}

void MainWindow::applyView(const QVariantMap &spec)
{
    const QStringList statuses = spec.value(QStringLiteral("statuses")).toStringList();
    // The sidebar shows one status; a view of several statuses shows them all under "All leads".
    m_sidebar->setCurrentStatus(statuses.size() == 1 ? statusFromKey(statuses.first())
                                                     : std::nullopt);
    m_filterBar->setSpec(spec); // fires specChanged: applyFilters() then uses the sidebar's status
    if (statuses.size() > 1) {
        QVariantMap full = m_filterBar->spec();
        full.insert(QStringLiteral("statuses"), statuses);
        m_model->setFilter(SavedViewModel::toFilter(full, QDateTime::currentDateTime()));
    }
}

void MainWindow::saveView()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save view"),
                                               tr("Name of the view (for example “Today's errors”):"),
                                               QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    QVariantMap spec = m_filterBar->spec();
    if (const auto status = m_sidebar->currentStatus())
        spec.insert(QStringLiteral("statuses"), QStringList{statusKey(*status)});
    m_views->saveView(name, spec);
}

} // namespace leadkeeper::ui
