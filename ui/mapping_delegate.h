#pragma once

#include <QStyledItemDelegate>

namespace leadkeeper::ui {

/**
 * Draws and edits the cells of a MappingTableModel: rows the model marks invalid get a red
 * background (the reason is in the tooltip), and the Question, Lead field and Clean-up columns
 * edit with an editable drop-down of the sensible choices (the form's question keys, the Lead
 * fields by label, the usual transforms), so the admin rarely has to type a technical name.
 * Presentation only: what is valid is the model's decision.
 */
class MappingDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MappingDelegate(QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
    /// Known clean-up chains read as words ("Trim, lower case"), the rest as written.
    QString displayText(const QVariant &value, const QLocale &locale) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace leadkeeper::ui
