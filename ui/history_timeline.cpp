#include "history_timeline.h"

#include "lead_status_delegate.h"

#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace leadkeeper::ui {

namespace {

QLabel *plain(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(text);
    return label;
}

} // namespace

HistoryTimeline::HistoryTimeline(QWidget *parent) : QWidget(parent)
{
    m_list = new QVBoxLayout(this);
    m_list->setContentsMargins(4, 4, 4, 4);
    m_list->setSpacing(10);
    m_list->addStretch(1);
}

QString HistoryTimeline::transitionText(const HistoryEvent &event)
{
    if (!event.from || *event.from == event.to)
        return statusLabel(event.to);
    return QStringLiteral("%1 → %2").arg(statusLabel(*event.from), statusLabel(event.to));
}

void HistoryTimeline::setEvents(const QList<HistoryEvent> &events)
{
    while (m_list->count() > 1) { // keep the stretch at the end
        QLayoutItem *item = m_list->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_count = int(events.size());
    if (events.isEmpty()) {
        m_list->insertWidget(0, plain(tr("No history yet."), this));
        return;
    }
    const QColor base = palette().color(QPalette::Base);
    for (qsizetype i = events.size() - 1; i >= 0; --i) {
        const HistoryEvent &e = events.at(i);
        auto *item = new QFrame(this);
        item->setFrameShape(QFrame::StyledPanel);
        auto *box = new QVBoxLayout(item);
        box->setContentsMargins(8, 6, 8, 6);
        box->setSpacing(2);

        auto *top = new QHBoxLayout;
        QLabel *status = plain(transitionText(e), item);
        QFont bold = status->font();
        bold.setBold(true);
        status->setFont(bold);
        QPalette p = status->palette();
        p.setColor(QPalette::WindowText, LeadStatusDelegate::statusColor(e.to, base));
        status->setPalette(p);
        const QString when = QDateTime::fromMSecsSinceEpoch(e.atMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        const QString who = e.actor == QLatin1String("system") ? tr("Leadkeeper") : e.actor;
        QLabel *meta = plain(tr("%1 · %2").arg(when, who), item);
        meta->setForegroundRole(QPalette::PlaceholderText);
        top->addWidget(status);
        top->addStretch(1);
        top->addWidget(meta);
        box->addLayout(top);
        if (!e.message.isEmpty()) {
            QLabel *message = plain(e.message, item);
            message->setWordWrap(true);
            box->addWidget(message);
        }
        m_list->insertWidget(m_list->count() - 1, item);
    }
}

} // namespace leadkeeper::ui
