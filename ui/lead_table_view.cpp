#include "lead_table_view.h"

#include "lead_log_model.h"
#include "lead_status_delegate.h"

#include <QHeaderView>
#include <QScrollBar>

namespace leadkeeper::ui {

LeadTableView::LeadTableView(LeadLogModel *model, QWidget *parent)
    : QTableView(parent), m_model(model)
{
    setObjectName(QStringLiteral("leadTable"));
    setModel(model);
    setItemDelegateForColumn(LeadLogModel::StatusColumn, new LeadStatusDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    // Sorting happens in SQL, on the columns that have an index (LeadLogModel::sort()).
    horizontalHeader()->setSortIndicator(LeadLogModel::ReceivedColumn, Qt::DescendingOrder);
    setSortingEnabled(true);
    connect(horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            &LeadTableView::keepSortable);
    setWordWrap(false);
    setShowGrid(false);
    setTextElideMode(Qt::ElideRight);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);

    // Fixed row heights: sizing rows to their contents costs seconds on big tables.
    QHeaderView *rows = verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 10);
    rows->hide();
    setUpColumns();

    connect(model, &LeadLogModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { keepRowsInView(first, last); });
}

void LeadTableView::setUpColumns()
{
    QHeaderView *columns = horizontalHeader();
    columns->setHighlightSections(false);
    columns->setSectionsMovable(true);
    columns->setStretchLastSection(true);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // What staff read first stays in view on a laptop screen: when, how it went, and why it failed;
    // the Meta ids and the details follow.
    const QList<int> order = {
        LeadLogModel::ReceivedColumn, LeadLogModel::StatusColumn,   LeadLogModel::NameColumn,
        LeadLogModel::PhoneColumn,    LeadLogModel::ErrorColumn,    LeadLogModel::PageColumn,
        LeadLogModel::FormColumn,     LeadLogModel::CreatedColumn,  LeadLogModel::PlatformColumn,
        LeadLogModel::OrganicColumn,  LeadLogModel::SourceColumn};
    for (int visual = 0; visual < order.size(); ++visual)
        columns->moveSection(columns->visualIndex(order.at(visual)), visual);

    // Widths from typical contents rather than ResizeToContents, which measures every row.
    const QFontMetrics fm = fontMetrics();
    const int padding = 24; // room for the sort arrow
    auto widthFor = [&](const QString &sample) { return fm.horizontalAdvance(sample) + padding; };
    const QString time = QStringLiteral("2025-12-31 23:59:59");
    columns->resizeSection(LeadLogModel::ReceivedColumn, widthFor(time));
    columns->resizeSection(LeadLogModel::CreatedColumn, widthFor(time));
    columns->resizeSection(LeadLogModel::StatusColumn,
                           widthFor(QStringLiteral("Unconfigured")) + 24);
    columns->resizeSection(LeadLogModel::NameColumn, widthFor(QStringLiteral("Maximilian Mustermann")));
    columns->resizeSection(LeadLogModel::PhoneColumn, widthFor(QStringLiteral("+49 1511 2345678")));
    columns->resizeSection(LeadLogModel::ErrorColumn, fm.averageCharWidth() * 48);
    columns->resizeSection(LeadLogModel::PageColumn, widthFor(QStringLiteral("Acme Roofing Berlin")));
    columns->resizeSection(LeadLogModel::FormColumn, widthFor(QStringLiteral("Spring offer 2025")));
    columns->resizeSection(LeadLogModel::SourceColumn, widthFor(QStringLiteral("Webhook")));
    columns->resizeSection(LeadLogModel::PlatformColumn, widthFor(QStringLiteral("Instagram")));
    columns->resizeSection(LeadLogModel::OrganicColumn, widthFor(QStringLiteral("Organic")));
    columns->setMinimumSectionSize(fm.horizontalAdvance(QStringLiteral("Ad")) + padding);
}

void LeadTableView::keepSortable(int column)
{
    // Columns without an index cannot be sorted quickly on a big log: put the arrow back.
    if (LeadLogModel::sortKeyForColumn(column))
        return;
    const DeskSort sort = m_model->sortOrder();
    int sortColumn = LeadLogModel::ReceivedColumn;
    for (int c = 0; c < LeadLogModel::ColumnCount; ++c) {
        if (LeadLogModel::sortKeyForColumn(c) == sort.key)
            sortColumn = c;
    }
    const QSignalBlocker blocker(horizontalHeader());
    horizontalHeader()->setSortIndicator(
        sortColumn, sort.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    horizontalHeader()->viewport()->update();
}

void LeadTableView::keepRowsInView(int first, int last)
{
    // Per-item scrolling: the value is the top visible row. At the very top the user is watching
    // for new leads, so let them push the rest down; further down, keep the same rows in view.
    QScrollBar *bar = verticalScrollBar();
    const int top = bar->value();
    if (top == 0 || first > top)
        return;
    const int count = last - first + 1;
    // The view recomputes the range later in this event-loop turn; grow it now so the value fits.
    bar->setMaximum(bar->maximum() + count);
    bar->setValue(top + count);
}

} // namespace leadkeeper::ui
