#pragma once

#include "store/lead_log_entry.h"

#include <QList>
#include <QWidget>

class QVBoxLayout;

namespace leadkeeper::ui {

/**
 * The status history of one lead as a readable timeline, newest first: when, who (the system or a
 * person), the status change ("Error → Processed", or the status alone when it did not change, as
 * for a correction) and the message, which wraps.
 *
 * Every text is plain text (a message may quote lead data). Rebuilt from scratch by setEvents();
 * histories are short (a handful of events, a few dozen for a lead retried many times).
 */
class HistoryTimeline : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryTimeline(QWidget *parent = nullptr);

    void setEvents(const QList<HistoryEvent> &events);
    int eventCount() const { return m_count; }

    /// "Error → Processed", or "Error" when the status stayed.
    static QString transitionText(const HistoryEvent &event);

private:
    QVBoxLayout *m_list = nullptr;
    int m_count = 0;
};

} // namespace leadkeeper::ui
