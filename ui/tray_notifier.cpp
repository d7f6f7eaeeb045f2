#include "tray_notifier.h"

#include <QFont>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace leadkeeper::ui {

TrayNotifier::TrayNotifier(const QIcon &appIcon, QObject *parent)
    : QObject(parent)
    , m_appIcon(appIcon)
{
    m_pendingTimer.setSingleShot(true);
    connect(&m_pendingTimer, &QTimer::timeout, this, &TrayNotifier::notifyNow);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
            if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
                Q_EMIT showErrorsRequested();
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::showErrorsRequested);
    }
    updateIcon();
    if (m_tray)
        m_tray->show();
}

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::setNotificationsEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled) {
        m_pending = 0;
        m_pendingTimer.stop();
    }
}

void TrayNotifier::setErrorCount(int count, int increase)
{
    if (count != m_count) {
        m_count = count;
        updateIcon();
    }
    if (increase <= 0 || !m_enabled)
        return;
    m_pending += increase;
    const auto wait = m_sinceLast.isValid()
                          ? m_minInterval - std::chrono::milliseconds(m_sinceLast.elapsed())
                          : std::chrono::milliseconds(0);
    if (wait.count() <= 0)
        notifyNow();
    else if (!m_pendingTimer.isActive())
        m_pendingTimer.start(wait);
}

void TrayNotifier::notifyNow()
{
    if (m_pending <= 0 || !m_enabled)
        return;
    const bool summary = m_sinceLast.isValid();
    const QString title = m_pending == 1 ? tr("A lead failed") : tr("%1 leads failed").arg(m_pending);
    QString message = m_count == 1 ? tr("1 lead is in Error.") : tr("%1 leads are in Error.").arg(m_count);
    message += summary && m_pending > 1 ? tr(" (since the last notice)") : QString();
    message += tr(" Open Leadkeeper to see why and fix them.");
    m_pending = 0;
    m_sinceLast.start();
    if (m_tray)
        m_tray->showMessage(title, message, QSystemTrayIcon::Warning);
    Q_EMIT notified(title, message);
}

void TrayNotifier::updateIcon()
{
    m_toolTip = m_count == 0 ? tr("Leadkeeper — no leads in Error")
                : m_count == 1 ? tr("Leadkeeper — 1 lead in Error")
                               : tr("Leadkeeper — %1 leads in Error").arg(m_count);
    QPixmap base = m_appIcon.pixmap(64, 64);
    if (base.isNull()) {
        base = QPixmap(64, 64);
        base.fill(QColor(0x1565c0));
    }
    if (m_count > 0) {
        QPainter p(&base);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF badge(28, 0, 36, 30);
        p.setBrush(QColor(0xc62828));
        p.setPen(Qt::NoPen);
        p.drawRoundedRect(badge, 14, 14);
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(20);
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, m_count > 99 ? QStringLiteral("99+") : QString::number(m_count));
    }
    m_icon = QIcon(base);
    if (m_tray) {
        m_tray->setIcon(m_icon);
        m_tray->setToolTip(m_toolTip);
    }
}

} // namespace leadkeeper::ui
