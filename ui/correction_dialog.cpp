#include "correction_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

// Tints the rows of failing fields and marks edited corrections; text stays plain.
class CorrectionDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const bool error = index.data(CorrectionModel::HasErrorRole).toBool();
        const bool changed = index.data(CorrectionModel::ChangedRole).toBool();
        if (index.column() == CorrectionModel::CorrectedColumn && changed) {
            option->backgroundBrush = QColor(0xdc, 0xfc, 0xe7);
            option->font.setBold(true);
        } else if (error) {
            option->backgroundBrush = QColor(0xfe, 0xe2, 0xe2);
        }
        if (error && index.column() == CorrectionModel::ErrorColumn)
            option->palette.setColor(QPalette::Text, QColor(0xb9, 0x1c, 0x1c));
    }
};

} // namespace

CorrectionDialog::CorrectionDialog(const LeadDetails &details, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Correct lead data"));
    resize(860, 360);
    m_model = new CorrectionModel(this);
    m_model->setLead(details);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    const QString name = details.lead ? details.lead->customerName : QString();
    intro->setText(
        tr("Lead %1%2. Type the right value in the \"Corrected value\" column (double-click or "
           "press F2). The original stays as it arrived from Meta; your correction is kept beside "
           "it and used when the lead is processed.")
            .arg(details.entry.leadgenId, name.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(name)));
    layout->addWidget(intro);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setItemDelegate(new CorrectionDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->setWordWrap(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(CorrectionModel::FieldColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(CorrectionModel::OriginalColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(CorrectionModel::CorrectedColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(CorrectionModel::ErrorColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(CorrectionModel::OriginalColumn, 170);
    m_table->setColumnWidth(CorrectionModel::CorrectedColumn, 190);
    m_table->resizeRowsToContents();
    layout->addWidget(m_table, 1);

    if (m_model->rowCount() == 0) {
        auto *none = new QLabel(this);
        none->setTextFormat(Qt::PlainText);
        none->setWordWrap(true);
        none->setText(tr("This lead's form is not mapped yet, so there are no fields to correct. "
                         "Map the form in Setup → Pages and forms, then process the lead again."));
        layout->addWidget(none);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setText(tr("Save and process"));
    m_save->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_model, &CorrectionModel::changesChanged, m_save, &QPushButton::setEnabled);
    connect(m_model, &QAbstractItemModel::dataChanged, m_table, [this] { m_table->resizeRowsToContents(); });

    // Start where the work is: the correction of the first field with a problem.
    int first = 0;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (m_model->rowAt(r).error.size()) {
            first = r;
            break;
        }
    if (m_model->rowCount() > 0) {
        const QModelIndex cell = m_model->index(first, CorrectionModel::CorrectedColumn);
        m_table->setCurrentIndex(cell);
        m_table->setFocus();
    }
}

} // namespace leadkeeper::ui
