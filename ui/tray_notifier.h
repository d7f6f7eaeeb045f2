#pragma once

#include <QElapsedTimer>
#include <QIcon>
#include <QObject>
#include <QTimer>

#include <chrono>

class QSystemTrayIcon;

namespace leadkeeper::ui {

/**
 * The desk in the system tray: an icon with the number of Error leads as a badge and in the
 * tooltip, and a desktop notification when new Error leads arrive.
 *
 * Notifications are rate-limited: at most one per minInterval (a minute by default). Failures
 * arriving inside that window are summed and announced once when it ends ("5 more leads
 * failed"), so a token expiring under a burst of leads makes one notification, not hundreds.
 * They can be switched off (setNotificationsEnabled). Feed it from ErrorCountWatcher::countChanged;
 * it never queries anything itself. Without a system tray (offscreen, some desktops) it keeps its
 * state and emits notified() all the same, so the rest of the desk need not care.
 */
class TrayNotifier : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultMinInterval{60000};

    explicit TrayNotifier(const QIcon &appIcon, QObject *parent = nullptr);
    ~TrayNotifier() override;

    void setNotificationsEnabled(bool enabled);
    bool notificationsEnabled() const { return m_enabled; }
    void setMinInterval(std::chrono::milliseconds interval) { m_minInterval = interval; }

    int errorCount() const { return m_count; }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const { return m_icon; }
    /// The tray icon, or nullptr when the desktop has no system tray.
    QSystemTrayIcon *trayIcon() const { return m_tray; }

public Q_SLOTS:
    /// `increase`: how many more Error leads there are than at the previous count.
    void setErrorCount(int count, int increase);

Q_SIGNALS:
    void notified(const QString &title, const QString &message);
    /// The tray icon or a notification was clicked: bring the desk up, filtered to Error.
    void showErrorsRequested();

private:
    void notifyNow();
    void updateIcon();

    QIcon m_appIcon;
    QIcon m_icon;
    QString m_toolTip;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_pendingTimer;
    QElapsedTimer m_sinceLast;
    std::chrono::milliseconds m_minInterval = kDefaultMinInterval;
    int m_count = 0;
    int m_pending = 0;
    bool m_enabled = true;
};

} // namespace leadkeeper::ui
