#include "empty_log_page.h"

#include "plain_label.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace leadkeeper::ui {

EmptyLogPage::EmptyLogPage(QWidget *parent) : QWidget(parent)
{
    // A column of readable width in the middle of the page; its labels wrap inside it.
    auto *column = new QWidget(this);
    column->setFixedWidth(fontMetrics().averageCharWidth() * 84);
    auto *rows = new QHBoxLayout;
    rows->addStretch(1);
    rows->addWidget(column);
    rows->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    outer->addLayout(rows);
    outer->addStretch(3);
    auto *layout = new QVBoxLayout(column);

    QLabel *title = namedLabel(QStringLiteral("emptyHintTitle"), column);
    title->setText(tr("No leads yet."));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    layout->addSpacing(fontMetrics().height() / 2);

    m_hint = namedLabel(QStringLiteral("emptyHint"), column);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont hintFont = m_hint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.15);
    m_hint->setFont(hintFont);
    layout->addWidget(m_hint);
    layout->addSpacing(fontMetrics().height());

    // The address goes into Meta's App Dashboard: one click instead of a careful selection.
    m_copyAddress = new QPushButton(tr("Copy webhook address"), column);
    m_copyAddress->setObjectName(QStringLiteral("copyAddress"));
    m_copyAddress->hide();
    connect(m_copyAddress, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_webhookUrl);
        m_copyAddress->setText(tr("Address copied"));
        QTimer::singleShot(2000, m_copyAddress, [button = m_copyAddress] {
            button->setText(tr("Copy webhook address"));
        });
    });
    layout->addWidget(m_copyAddress, 0, Qt::AlignHCenter);
    layout->addSpacing(fontMetrics().height());

    m_note = namedLabel(QStringLiteral("emptyNote"), column);
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);
}

void EmptyLogPage::showStarting()
{
    m_hint->setText(tr("Starting the webhook listener…"));
}

void EmptyLogPage::showListening(const QString &webhookUrl, bool loopback)
{
    m_webhookUrl = webhookUrl;
    m_copyAddress->show();
    m_hint->setText(tr("Point Meta's webhook at %1").arg(webhookUrl));
    QString note = tr("New leads appear here the moment they arrive.");
    if (loopback)
        note += tr("\n\nThis address works only on this computer. Meta reaches it through a "
                   "public HTTPS address that forwards to it: ask whoever set up Leadkeeper.");
    m_note->setText(note);
}

void EmptyLogPage::showListenerFailed(const QString &reason)
{
    m_webhookUrl.clear();
    m_copyAddress->hide();
    m_hint->setText(tr("Leads from Meta cannot arrive at this computer right now.\n%1").arg(reason));
    m_note->setText(tr("Leads stored by another Leadkeeper on the same database still appear "
                       "here."));
}

} // namespace leadkeeper::ui
