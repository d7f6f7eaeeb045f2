#pragma once

#include "config/page_admin.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableView;

namespace leadkeeper {
class MappingTableModel;
}

namespace leadkeeper::ui {

/**
 * Maps the questions of one lead form to Lead fields (DESIGN.md §1, the admin): a table over a
 * MappingTableModel with Add, Remove and "Suggest", the first problem spelled out under the table,
 * and Save disabled while any row is invalid or a save is running.
 *
 * A form without rows opens with the suggested mapping filled in (and says so). Save runs on a
 * worker thread (PageAdmin::saveForm, then PageAdmin::processableWaiting); on success formSaved()
 * carries the stored form and how many waiting leads it makes processable, and the dialog closes.
 * Closing while a save runs is safe: the result is dropped, the save itself completes.
 */
class MappingEditor : public QDialog
{
    Q_OBJECT
public:
    MappingEditor(const PageAdminContext &context, const PageConfig &page, const FormMapping &form,
                  QWidget *parent = nullptr);
    ~MappingEditor() override;

    MappingTableModel *model() const { return m_model; }
    QPushButton *saveButton() const { return m_save; }

Q_SIGNALS:
    void formSaved(const leadkeeper::FormMapping &form, int processableWaiting);

private:
    struct SaveResult
    {
        std::optional<FormMapping> form;
        QString error;
        int waiting = 0;
    };
    void updateState();
    void save();
    void onSaved();
    void removeSelected();

    PageAdminContext m_context;
    PageConfig m_page;
    FormMapping m_form;
    MappingTableModel *m_model;
    QTableView *m_table = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_note = nullptr;
    QCheckBox *m_enabled = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_remove = nullptr;
    QFutureWatcher<SaveResult> m_saving;
};

} // namespace leadkeeper::ui
