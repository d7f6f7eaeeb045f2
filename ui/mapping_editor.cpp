#include "mapping_editor.h"

#include "mapping_delegate.h"
#include "mapping_table_model.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace leadkeeper::ui {

MappingEditor::MappingEditor(const PageAdminContext &context, const PageConfig &page,
                             const FormMapping &form, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_page(page)
    , m_form(form)
    , m_model(new MappingTableModel(this))
{
    const QString formName = form.formName.isEmpty() ? form.formId : form.formName;
    setWindowTitle(tr("Map form “%1”").arg(formName));
    resize(900, 520);

    auto *title = new QLabel(tr("Which answer of form <b>%1</b> (page %2) goes into which Lead "
                                "field?")
                                 .arg(formName.toHtmlEscaped(),
                                      (page.name.isEmpty() ? page.pageId : page.name).toHtmlEscaped()));
    title->setTextFormat(Qt::RichText);
    m_note = new QLabel;
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);

    m_model->setQuestions(form.questions);
    m_model->setRows(form.rows);
    if (form.rows.isEmpty() && !form.questions.isEmpty()) {
        m_model->applySuggestions();
        m_note->setText(tr("Leadkeeper filled in the usual mapping for this form's questions. "
                           "Check it, then Save."));
    } else {
        m_note->setText(tr("Double-click a cell to change it. Rows in red cannot be saved; point "
                           "at them to see why."));
    }

    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setItemDelegate(new MappingDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(MappingTableModel::QuestionColumn,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(MappingTableModel::FieldColumn, 170);
    m_table->setColumnWidth(MappingTableModel::DefaultColumn, 140);
    m_table->setColumnWidth(MappingTableModel::TransformColumn, 150);
    m_table->setColumnWidth(MappingTableModel::MandatoryColumn, 80);

    auto *add = new QPushButton(tr("Add row"));
    m_remove = new QPushButton(tr("Remove row"));
    auto *suggest = new QPushButton(tr("Suggest mapping"));
    suggest->setToolTip(tr("Replace the rows with the usual mapping for this form's questions."));
    suggest->setEnabled(!form.questions.isEmpty());
    auto *rowButtons = new QHBoxLayout;
    rowButtons->addWidget(add);
    rowButtons->addWidget(m_remove);
    rowButtons->addWidget(suggest);
    rowButtons->addStretch();

    m_problem = new QLabel;
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));

    m_enabled = new QCheckBox(tr("Process leads from this form"));
    m_enabled->setChecked(form.enabled);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_save = buttons->addButton(tr("Save mapping"), QDialogButtonBox::AcceptRole);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_note);
    layout->addWidget(m_table, 1);
    layout->addLayout(rowButtons);
    layout->addWidget(m_problem);
    layout->addWidget(m_enabled);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_model->appendRow();
        m_table->setCurrentIndex(m_model->index(row, MappingTableModel::QuestionColumn));
        m_table->edit(m_table->currentIndex());
    });
    connect(m_remove, &QPushButton::clicked, this, &MappingEditor::removeSelected);
    connect(suggest, &QPushButton::clicked, m_model, &MappingTableModel::applySuggestions);
    connect(m_model, &MappingTableModel::rowsEdited, this, &MappingEditor::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MappingEditor::updateState);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MappingEditor::updateState);
    connect(m_save, &QPushButton::clicked, this, &MappingEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_saving, &QFutureWatcher<SaveResult>::finished, this, &MappingEditor::onSaved);
    updateState();
}

MappingEditor::~MappingEditor() = default;

void MappingEditor::updateState()
{
    const QString problem = m_model->firstError();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_save->setEnabled(m_model->isValid() && !m_saving.isRunning());
    m_save->setToolTip(problem);
    m_remove->setEnabled(m_table->selectionModel()->hasSelection());
}

void MappingEditor::removeSelected()
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &i : selected)
        rows.append(i.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int r : std::as_const(rows))
        m_model->removeRows(r, 1);
}

void MappingEditor::save()
{
    if (!m_model->isValid() || m_saving.isRunning())
        return;
    FormMapping form = m_form;
    form.pageConfigId = m_page.id;
    form.rows = m_model->rows();
    form.enabled = m_enabled->isChecked();
    const PageAdminContext context = m_context;
    const QString pageId = m_page.pageId;
    m_problem->setStyleSheet(QStringLiteral("color: palette(text);"));
    m_problem->setText(tr("Saving…"));
    m_problem->show();
    m_saving.setFuture(QtConcurrent::run([context, form, pageId] {
        SaveResult r;
        r.form = PageAdmin::saveForm(context, form, &r.error);
        if (r.form)
            r.waiting = PageAdmin::processableWaiting(context, pageId, form.formId, nullptr);
        return r;
    }));
    updateState();
    m_problem->setText(tr("Saving…"));
    m_problem->show();
}

void MappingEditor::onSaved()
{
    const SaveResult r = m_saving.result();
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
    if (!r.form) {
        updateState();
        m_problem->setText(r.error);
        m_problem->show();
        return;
    }
    Q_EMIT formSaved(*r.form, r.waiting);
    accept();
}

} // namespace leadkeeper::ui
