#pragma once

#include "processing/reprocess_job.h"

#include <QElapsedTimer>
#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace leadkeeper::ui {

class ReprocessController;

/**
 * A slim bar that shows the bulk job of a ReprocessController: what is being processed, a
 * progress bar ("23 of 50"), Cancel, and when done a plain summary ("48 processed, 2 still have a
 * problem") that stays until closed. Hidden while no job has run. Only shows; the controller
 * runs the job.
 */
class JobProgressWidget : public QFrame
{
    Q_OBJECT
public:
    explicit JobProgressWidget(ReprocessController *controller, QWidget *parent = nullptr);

    QString title() const;
    QString summaryText() const;
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *cancelButton() const { return m_cancel; }

    /// "48 processed, 2 still have a problem, 1 skipped": the non-zero counts, in words.
    static QString describe(const ReprocessSummary &summary);

private:
    void showResolving(const QString &what);
    void showStarted(const QString &what, int total);
    void showProgress(int done, int total);
    void showFinished(const ReprocessSummary &summary);

    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QProgressBar *m_bar = nullptr;
    QPushButton *m_cancel = nullptr;
    QToolButton *m_close = nullptr;
    QString m_what;
    int m_total = 0;
    QElapsedTimer m_clock;
};

} // namespace leadkeeper::ui
