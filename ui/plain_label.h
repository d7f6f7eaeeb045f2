#pragma once

#include <QLabel>

namespace leadkeeper::ui {

/// A label that shows its text as plain text: lead, staff and engine text is data, never markup.
/// `selectable` lets the user select and copy it.
inline QLabel *plainLabel(const QString &text, QWidget *parent, bool selectable = true)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    if (selectable)
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(text);
    return label;
}

/// An empty plain-text label named `objectName` (tests and style sheets find it by that name).
inline QLabel *namedLabel(const QString &objectName, QWidget *parent)
{
    QLabel *label = plainLabel(QString(), parent, false);
    label->setObjectName(objectName);
    return label;
}

} // namespace leadkeeper::ui
