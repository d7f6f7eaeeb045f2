#include "job_progress_widget.h"

#include "reprocess_controller.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>

namespace leadkeeper::ui {

JobProgressWidget::JobProgressWidget(ReprocessController *controller, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setMinimumWidth(180);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setToolTip(tr("Stop after the leads in hand; the others stay as they are"));
    m_close = new QToolButton(this);
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Hide"));
    layout->addWidget(m_title);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_cancel);
    layout->addWidget(m_close);
    hide();

    connect(m_cancel, &QPushButton::clicked, controller, [this, controller] {
        m_cancel->setEnabled(false);
        m_title->setText(tr("Cancelling %1…").arg(m_what));
        controller->cancelJob();
    });
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    connect(controller, &ReprocessController::jobResolving, this, &JobProgressWidget::showResolving);
    connect(controller, &ReprocessController::jobStarted, this, &JobProgressWidget::showStarted);
    connect(controller, &ReprocessController::jobProgress, this, &JobProgressWidget::showProgress);
    connect(controller, &ReprocessController::jobFinished, this, &JobProgressWidget::showFinished);
}

QString JobProgressWidget::title() const
{
    return m_title->text();
}

QString JobProgressWidget::summaryText() const
{
    return m_summary->text();
}

void JobProgressWidget::showResolving(const QString &what)
{
    m_what = what;
    m_total = 0;
    m_clock.start();
    m_title->setText(tr("Counting %1…").arg(what));
    m_bar->setRange(0, 0); // busy until the count is known
    m_bar->show();
    m_summary->hide();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_close->hide();
    show();
}

void JobProgressWidget::showStarted(const QString &what, int total)
{
    m_what = what;
    if (!m_clock.isValid())
        m_clock.start();
    m_title->setText(tr("Processing %1…").arg(what));
    m_total = total;
    showProgress(0, total);
    m_bar->show();
    m_summary->hide();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_close->hide();
    show();
}

void JobProgressWidget::showProgress(int done, int total)
{
    // Numbers as the status folders write them ("1,162 of 3,000").
    const QLocale locale;
    m_bar->setFormat(tr("%1 of %2").arg(locale.toString(done), locale.toString(total)));
    m_bar->setRange(0, qMax(total, 1));
    m_bar->setValue(done);
}

void JobProgressWidget::showFinished(const ReprocessSummary &summary)
{
    m_bar->hide();
    m_cancel->hide();
    m_close->show();
    QString title;
    if (summary.cancelled)
        title = tr("Cancelled: %1.").arg(m_what);
    else if (summary.total == 0)
        title = tr("Nothing to process in %1.").arg(m_what);
    else
        title = tr("Done: %1.").arg(m_what);
    m_title->setText(title);
    if (summary.total == 0 && !summary.cancelled)
        m_summary->setText(tr("Pending leads are being processed already, and Processed leads are "
                              "never processed twice."));
    else if (summary.cancelled && m_total > summary.total)
        m_summary->setText(describe(summary) + tr(" %1 were not started.").arg(QLocale().toString(m_total - summary.total)));
    else
        m_summary->setText(describe(summary));
    m_summary->show();
    m_clock.invalidate();
    show();
}

QString JobProgressWidget::describe(const ReprocessSummary &s)
{
    QStringList parts;
    const auto add = [&parts](int n, const QString &text) {
        if (n > 0)
            parts << text.arg(QLocale().toString(n));
    };
    add(s.processed, tr("%1 processed"));
    add(s.error, tr("%1 still have a problem"));
    add(s.unconfigured, tr("%1 unconfigured (set up the page or form)"));
    add(s.disabled, tr("%1 disabled (enable the page or form)"));
    add(s.pending, tr("%1 waiting for Meta (retried automatically)"));
    add(s.skipped, tr("%1 skipped (changed meanwhile)"));
    add(s.failed, tr("%1 could not be saved"));
    if (parts.isEmpty())
        return tr("No lead was processed.");
    return parts.join(QStringLiteral(", ")) + QLatin1Char('.');
}

} // namespace leadkeeper::ui
