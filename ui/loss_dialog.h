#pragma once

#include <QDialog>

class QComboBox;
class QPushButton;

namespace leadkeeper::ui {

/**
 * Asks why a lead is marked as Loss (DESIGN.md §4). A reason is required: OK stays disabled until
 * one is typed or picked. The dialog only asks; the caller writes (ReprocessController).
 */
class LossDialog : public QDialog
{
    Q_OBJECT
public:
    /// `leadLabel` names the lead in the question ("Ada Lovelace (1000000000000000001)").
    explicit LossDialog(const QString &leadLabel, QWidget *parent = nullptr);

    /// The reason, trimmed.
    QString reason() const;
    void setReason(const QString &reason);
    QPushButton *okButton() const { return m_ok; }

private:
    QComboBox *m_reason = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace leadkeeper::ui
