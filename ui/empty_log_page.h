#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace leadkeeper::ui {

/**
 * What the desk shows while the lead log is empty, instead of an empty grid: where to point
 * Meta's webhook (with a button that copies the address), or why leads cannot arrive here.
 *
 * Every text is plain text. The labels are named emptyHintTitle, emptyHint and emptyNote, the
 * button copyAddress (tests find them by these names).
 */
class EmptyLogPage : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyLogPage(QWidget *parent = nullptr);

    void showStarting();
    /// The listener takes webhooks at `webhookUrl`; `loopback` adds how Meta reaches it.
    void showListening(const QString &webhookUrl, bool loopback);
    void showListenerFailed(const QString &reason);

private:
    QLabel *m_hint = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_copyAddress = nullptr;
    QString m_webhookUrl;
};

} // namespace leadkeeper::ui
