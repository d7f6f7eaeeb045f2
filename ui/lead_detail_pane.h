#pragma once

#include "lead_detail.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QFormLayout;
class QFrame;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace leadkeeper::ui {

class HistoryTimeline;
class LeadFieldsBox;
class PayloadViewer;
class ReprocessController;

/**
 * The detail pane of the desk: everything about the selected lead, and what can be done with it.
 *
 * Shows (DESIGN.md §3): a header with the name and a status badge; the error message, and for
 * Error leads each field's error right under the value it concerns (the values the lead filled in
 * when no Lead exists yet); the
 * actions of the ReprocessController (Process again, Correct data, Mark as Loss, Restore); the
 * Lead it produced; the lead log entry's metadata; the status history as a timeline; the lead
 * payload and raw payload, pretty printed, read-only, with Copy.
 *
 * Guarantees: every text that comes from a lead or a person is shown as plain text (every QLabel
 * of the pane is Qt::PlainText); the pane never reads the store (the LeadDetail presenter loads on
 * its own thread); a quick succession of selections does not flicker through "Loading…".
 * Composition only: the presenter and the controller are made by the window and outlive the pane.
 */
class LeadDetailPane : public QWidget
{
    Q_OBJECT
public:
    LeadDetailPane(LeadDetail *detail, ReprocessController *actions, QWidget *parent = nullptr);

    /// Shows a sentence under the actions (the controller's messages arrive here).
    void showMessage(const QString &text, bool isError);

    // For tests and screenshots.
    QString titleText() const;
    QString errorText() const;
    int problemCount() const;
    QTabWidget *tabs() const { return m_tabs; }
    HistoryTimeline *timeline() const { return m_timeline; }
    PayloadViewer *leadPayloadViewer() const { return m_leadPayload; }
    PayloadViewer *rawPayloadViewer() const { return m_rawPayload; }
    bool isShowingLead() const;

private:
    QWidget *buildOverview();
    QLabel *addValueRow(QFormLayout *form, const QString &key, const QString &label);
    void setValue(const QString &key, const QString &text);
    void showPlaceholder(const QString &text);
    void showDetails(const LeadDetails &details);
    void showHeader(const LeadDetails &details);
    void showEntry(const LeadDetails &details);

    LeadDetail *m_detail;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_subtitle = nullptr;
    QFrame *m_errorBox = nullptr;
    QLabel *m_errorText = nullptr;
    QLabel *m_notice = nullptr;
    QTabWidget *m_tabs = nullptr;
    LeadFieldsBox *m_leadBox = nullptr;
    QHash<QString, QLabel *> m_values;
    HistoryTimeline *m_timeline = nullptr;
    PayloadViewer *m_leadPayload = nullptr;
    PayloadViewer *m_rawPayload = nullptr;
    QTimer m_loadingDelay;
};

} // namespace leadkeeper::ui
