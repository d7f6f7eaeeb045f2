#include "mapping_delegate.h"

#include "mapping_table_model.h"
#include "processing/lead_field.h"

#include <QComboBox>
#include <QLineEdit>

namespace leadkeeper::ui {

namespace {

struct Choice
{
    QString shown;
    QString value;
};

QList<Choice> transformChoices()
{
    return {{QObject::tr("(none)"), QString()},
            {QObject::tr("Trim spaces"), QStringLiteral("trim")},
            {QObject::tr("Trim, Capitalise Words"), QStringLiteral("trim|capitalize")},
            {QObject::tr("Trim, lower case"), QStringLiteral("trim|lower")},
            {QObject::tr("Phone number (E.164)"), QStringLiteral("phone")},
            {QObject::tr("Join with a space, Capitalise"), QStringLiteral("join: |trim|capitalize")}};
}

QList<Choice> fieldChoices()
{
    QList<Choice> out;
    for (const QString &f : LeadField::standardFields())
        out.append({LeadField::label(f), f});
    out.append({QObject::tr("Custom field… (custom:name)"), QStringLiteral("custom:")});
    return out;
}

} // namespace

MappingDelegate::MappingDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QString MappingDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    // Only the Clean-up column holds transform chains; other texts never match one of them.
    const QString text = value.toString();
    if (!text.isEmpty())
        for (const Choice &c : transformChoices())
            if (c.value == text)
                return c.shown;
    return QStyledItemDelegate::displayText(value, locale);
}

void MappingDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(MappingTableModel::RowErrorRole).toString().isEmpty())
        return;
    const bool badCell = !index.data(MappingTableModel::CellErrorRole).toString().isEmpty();
    option->backgroundBrush = QColor(badCell ? 0xf4b4b4 : 0xfbe3e3);
    option->palette.setColor(QPalette::Text, QColor(0x7a1010));
}

QWidget *MappingDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                       const QModelIndex &index) const
{
    QList<Choice> choices;
    if (index.column() == MappingTableModel::FieldColumn) {
        choices = fieldChoices();
    } else if (index.column() == MappingTableModel::TransformColumn) {
        choices = transformChoices();
    } else if (index.column() == MappingTableModel::QuestionColumn) {
        if (const auto *model = qobject_cast<const MappingTableModel *>(index.model()))
            for (const QString &k : model->questionKeys())
                choices.append({k, k});
    }
    if (choices.isEmpty())
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    for (const Choice &c : std::as_const(choices))
        combo->addItem(c.shown == c.value ? c.value : QStringLiteral("%1  —  %2").arg(c.shown, c.value),
                       c.value);
    return combo;
}

void MappingDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    const QString value = index.data(Qt::EditRole).toString();
    const int at = combo->findData(value);
    if (at >= 0)
        combo->setCurrentIndex(at);
    else
        combo->setEditText(value);
}

void MappingDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                   const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo) {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    // A picked entry stores its value; typed text is taken as written (custom:budget, a+b).
    const QString text = combo->currentText();
    const int at = combo->findText(text);
    model->setData(index, at >= 0 ? combo->itemData(at).toString() : text, Qt::EditRole);
}

} // namespace leadkeeper::ui
