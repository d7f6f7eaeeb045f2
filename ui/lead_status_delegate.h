#pragma once

#include "store/lead_status.h"

#include <QColor>
#include <QHash>
#include <QIcon>
#include <QStyledItemDelegate>

namespace leadkeeper::ui {

/**
 * Paints the Status column: the status label as plain text in its status colour, after a dot of
 * the same colour, so Error and Unconfigured leads stand out while scrolling.
 *
 * Reads LeadLogModel::StatusRole; cells without it are painted like any QStyledItemDelegate cell.
 * Selected rows keep the palette's highlighted text colour so they stay readable. Plain text only.
 */
class LeadStatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// The colour of a status, readable on `base` (the view's background, light or dark).
    static QColor statusColor(LeadStatus status, const QColor &base);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QIcon dotIcon(const QColor &color) const;

    mutable QHash<QRgb, QIcon> m_dots; ///< one small pixmap per colour, made on first use
};

} // namespace leadkeeper::ui
