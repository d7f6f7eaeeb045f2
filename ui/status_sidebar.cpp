#include "status_sidebar.h"

#include "lead_status_delegate.h"
#include "saved_view_model.h"
#include "status_count_model.h"

#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

// A folder row: the status in its colour on the left, its count on the right.
class FolderDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const int status = index.data(StatusCountModel::StatusRole).toInt();
        const QColor colour = status < 0 ? opt.palette.color(QPalette::Text)
                                         : LeadStatusDelegate::statusColor(
                                               LeadStatus(status), opt.palette.color(QPalette::Base));
        const QString count = QLocale().toString(index.data(StatusCountModel::CountRole).toLongLong());
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const bool selected = opt.state & QStyle::State_Selected;
        const QRect r = opt.rect.adjusted(10, 0, -10, 0);
        painter->save();
        if (status >= 0) {
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(colour);
            painter->drawEllipse(QRectF(r.left(), r.center().y() - 4, 8, 8));
        }
        painter->setPen(selected ? opt.palette.color(QPalette::HighlightedText)
                                 : opt.palette.color(QPalette::Text));
        painter->drawText(r.adjusted(16, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          index.data().toString());
        painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter, count);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setHeight(s.height() + 10);
        return s;
    }
};

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setContentsMargins(6, 8, 6, 2);
    return label;
}

} // namespace

StatusSidebar::StatusSidebar(StatusCountModel *counts, SavedViewModel *views, QWidget *parent)
    : QWidget(parent), m_counts(counts), m_views(views)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(heading(tr("Status"), this));
    m_statusList = new QListView(this);
    m_statusList->setObjectName(QStringLiteral("statusList"));
    m_statusList->setModel(m_counts);
    m_statusList->setItemDelegate(new FolderDelegate(m_statusList));
    m_statusList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_statusList->setFrameShape(QFrame::NoFrame);
    m_statusList->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_statusList->setCurrentIndex(m_counts->index(0));
    m_statusList->setFixedHeight(m_statusList->sizeHintForRow(0) * m_counts->rowCount() + 4);
    layout->addWidget(m_statusList);
    connect(m_statusList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                Q_EMIT statusChosen(StatusCountModel::statusAt(current.row()));
            });

    layout->addWidget(heading(tr("Saved views"), this));
    m_viewList = new QListView(this);
    m_viewList->setObjectName(QStringLiteral("viewList"));
    m_viewList->setModel(m_views);
    m_viewList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_viewList->setFrameShape(QFrame::NoFrame);
    m_viewList->setContextMenuPolicy(Qt::CustomContextMenu);
    m_viewList->setToolTip(tr("Click a view to apply its filters. Right-click to remove it."));
    layout->addWidget(m_viewList, 1);
    connect(m_viewList, &QListView::clicked, this,
            [this](const QModelIndex &index) { Q_EMIT viewChosen(m_views->specAt(index.row())); });
    connect(m_viewList, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_viewList->indexAt(pos);
        if (!index.isValid())
            return;
        QMenu menu(this);
        menu.addAction(tr("Remove view “%1”").arg(index.data().toString()), this,
                       [this, row = index.row()] { m_views->removeView(row); });
        menu.exec(m_viewList->viewport()->mapToGlobal(pos));
    });
}

std::optional<LeadStatus> StatusSidebar::currentStatus() const
{
    return StatusCountModel::statusAt(m_statusList->currentIndex().row());
}

void StatusSidebar::setCurrentStatus(std::optional<LeadStatus> status)
{
    const QSignalBlocker blocker(m_statusList->selectionModel());
    m_statusList->setCurrentIndex(m_counts->index(StatusCountModel::rowOf(status)));
    m_statusList->viewport()->update();
}

} // namespace leadkeeper::ui
