#pragma once

#include "correction_model.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableView;

namespace leadkeeper::ui {

/**
 * "Correct data": each mapped field of one lead with its original value beside an editable
 * correction, the fields that failed highlighted with their problem. Save and process stays
 * disabled until something was changed. The dialog only edits a CorrectionModel; the caller
 * stores model()->changes() and processes the lead (ReprocessController).
 */
class CorrectionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CorrectionDialog(const LeadDetails &details, QWidget *parent = nullptr);

    CorrectionModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *saveButton() const { return m_save; }

private:
    CorrectionModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_save = nullptr;
};

} // namespace leadkeeper::ui
