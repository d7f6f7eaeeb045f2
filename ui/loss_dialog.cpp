#include "loss_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace leadkeeper::ui {

LossDialog::LossDialog(const QString &leadLabel, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Mark as Loss"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(this);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    question->setText(tr("Mark lead %1 as Loss?\n\nUse this for a lead that cannot be saved, for "
                         "example one with no valid phone number or e-mail. It is not counted as "
                         "an error, and you can restore it later.")
                          .arg(leadLabel));
    layout->addWidget(question);

    auto *reasonLabel = new QLabel(tr("&Reason (required):"), this);
    reasonLabel->setTextFormat(Qt::PlainText);
    m_reason = new QComboBox(this);
    m_reason->setEditable(true);
    m_reason->setInsertPolicy(QComboBox::NoInsert);
    m_reason->addItems({tr("No valid phone number or e-mail"), tr("Test lead"),
                        tr("Duplicate of another lead"), tr("Spam or fake details"),
                        tr("Asked not to be contacted")});
    m_reason->setCurrentIndex(-1);
    m_reason->lineEdit()->setPlaceholderText(tr("Pick or type why this lead cannot be saved"));
    m_reason->setMinimumContentsLength(36);
    reasonLabel->setBuddy(m_reason);
    layout->addWidget(reasonLabel);
    layout->addWidget(m_reason);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Mark as Loss"));
    m_ok->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QComboBox::currentTextChanged, this,
            [this] { m_ok->setEnabled(!reason().isEmpty()); });
    m_reason->setFocus();
}

QString LossDialog::reason() const
{
    return m_reason->currentText().trimmed();
}

void LossDialog::setReason(const QString &reason)
{
    m_reason->setEditText(reason);
}

} // namespace leadkeeper::ui
