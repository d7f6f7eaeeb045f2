#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace leadkeeper::ui {

/**
 * A read-only viewer of one stored JSON payload (the raw payload or the lead payload): pretty
 * printed in a monospace font, with a Copy button that puts the text shown on the clipboard.
 *
 * Guarantees: the payload is shown as plain text, never interpreted; numbers keep every digit
 * (15-19 digit ids never pass through a double); a payload that is not JSON is shown exactly as
 * stored; an empty payload shows `emptyText` and disables Copy.
 */
class PayloadViewer : public QWidget
{
    Q_OBJECT
public:
    PayloadViewer(QString emptyText, QWidget *parent = nullptr);

    void setPayload(const QByteArray &payload);
    /// The text shown ("" when there is no payload).
    QString text() const;
    QPushButton *copyButton() const { return m_copy; }

    /// Two-space indented JSON; anything else comes back as it is.
    static QString prettyPrinted(const QByteArray &payload);

private:
    QString m_emptyText;
    QLabel *m_note = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace leadkeeper::ui
