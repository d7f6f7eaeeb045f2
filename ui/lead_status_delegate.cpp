#include "lead_status_delegate.h"

#include "lead_log_model.h"

#include <QPainter>
#include <QPixmap>

namespace leadkeeper::ui {

QIcon LeadStatusDelegate::dotIcon(const QColor &color) const
{
    const auto cached = m_dots.constFind(color.rgb());
    if (cached != m_dots.cend())
        return *cached;
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    painter.end();
    return *m_dots.insert(color.rgb(), QIcon(pixmap));
}

QColor LeadStatusDelegate::statusColor(LeadStatus status, const QColor &base)
{
    QColor c;
    switch (status) {
    case LeadStatus::Pending:
        c = QColor(0x1d, 0x4e, 0xd8);
        break; // blue: on its way
    case LeadStatus::Unconfigured:
        c = QColor(0xb4, 0x53, 0x09);
        break; // amber: needs setup
    case LeadStatus::Disabled:
        c = QColor(0x6b, 0x72, 0x80);
        break; // grey: switched off
    case LeadStatus::Processed:
        c = QColor(0x15, 0x80, 0x3d);
        break; // green: done
    case LeadStatus::Error:
        c = QColor(0xb9, 0x1c, 0x1c);
        break; // red: needs a person
    case LeadStatus::Loss:
        c = QColor(0x6b, 0x21, 0xa8);
        break; // purple: given up on
    }
    // These are dark shades for light backgrounds; lift them on a dark theme.
    if (base.lightness() < 128)
        c = c.lighter(190);
    return c;
}

void LeadStatusDelegate::initStyleOption(QStyleOptionViewItem *option,
                                         const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant value = index.data(LeadLogModel::StatusRole);
    if (!value.isValid())
        return;
    const auto status = static_cast<LeadStatus>(value.toInt());
    const QColor color = statusColor(status, option->palette.color(QPalette::Base));
    option->palette.setColor(QPalette::Text, color);
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->icon = dotIcon(color);
    option->decorationSize = QSize(12, 12);
    if (status == LeadStatus::Error || status == LeadStatus::Unconfigured)
        option->font.setBold(true);
}

} // namespace leadkeeper::ui
