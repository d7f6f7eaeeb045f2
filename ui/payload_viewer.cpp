#include "payload_viewer.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace leadkeeper::ui {

PayloadViewer::PayloadViewer(QString emptyText, QWidget *parent)
    : QWidget(parent), m_emptyText(std::move(emptyText))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_note = new QLabel(this);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setToolTip(tr("Copy the whole payload to the clipboard"));
    bar->addWidget(m_note, 1);
    bar->addWidget(m_copy);
    layout->addLayout(bar);

    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_text, 1);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_text->toPlainText());
        m_note->setText(tr("Copied to the clipboard."));
    });
    setPayload({});
}

void PayloadViewer::setPayload(const QByteArray &payload)
{
    const bool empty = payload.trimmed().isEmpty();
    m_text->setPlainText(empty ? QString() : prettyPrinted(payload));
    m_text->setVisible(!empty);
    m_copy->setEnabled(!empty);
    m_note->setText(empty ? m_emptyText : tr("Exactly as stored; read-only."));
}

QString PayloadViewer::text() const
{
    return m_text->toPlainText();
}

QString PayloadViewer::prettyPrinted(const QByteArray &payload)
{
    using nlohmann::json;
    const json doc = json::parse(payload.cbegin(), payload.cend(), nullptr, false);
    if (doc.is_discarded())
        return QString::fromUtf8(payload);
    return QString::fromStdString(doc.dump(2, ' ', false, json::error_handler_t::replace));
}

} // namespace leadkeeper::ui
