#pragma once

#include "correction_dialog.h"
#include "lead_detail.h"
#include "loss_dialog.h"
#include "processing/reprocess_job.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace leadkeeper {
class ProcessingEngine;
}

namespace leadkeeper::ui {

/**
 * The desk's lead actions, as QActions a window puts into menus, toolbars and the detail pane:
 * Process again (Ctrl+R), Process selected (Ctrl+Shift+R), Process all matching the filter,
 * Correct data (Ctrl+E), Mark as Loss (Ctrl+L) and Restore.
 *
 * Guarantees:
 * - The GUI thread never waits. Store writes (Loss, Restore, corrections) run with QtConcurrent on
 *   a connection opened for that call; a selection is resolved to lead ids the same way; leads
 *   are processed by a ReprocessJob on the shared ProcessingEngine.
 * - Rules come from the engine: an action is enabled only when ProcessingStore allows it for the
 *   lead shown by the LeadDetail presenter (canReprocess; Loss needs a reason; Restore only Loss).
 * - One bulk job at a time, with progress at most every 100 ms, cancel, and a summary
 *   (jobStarted / jobProgress / jobFinished; JobProgressWidget shows them). Process all matching
 *   starts only once the user confirmed the number of leads it found and the filter in words. A single "Process
 *   again" may run beside it.
 * - After every write or processing of the lead shown, the presenter reloads it, and leadChanged()
 *   tells the window to refresh its table.
 *
 * The controller, the engine and the presenter live in the GUI thread; `dialogParent` parents the
 * Loss and Correct dialogs, which open window-modal without blocking (open(), not exec()).
 */
class ReprocessController : public QObject
{
    Q_OBJECT
public:
    ReprocessController(ProcessingEngine &engine, LeadDetail *detail, QString actor,
                        QWidget *dialogParent);
    ~ReprocessController() override;

    QAction *processAgainAction() const { return m_processAgain; }
    QAction *processSelectedAction() const { return m_processSelected; }
    QAction *processMatchingAction() const { return m_processMatching; }
    QAction *correctAction() const { return m_correct; }
    QAction *markLossAction() const { return m_markLoss; }
    QAction *restoreAction() const { return m_restore; }
    QList<QAction *> actions() const;

    /// The leads selected in the table (multi-selection), for Process selected.
    void setSelectedLeadgenIds(const QStringList &leadgenIds);
    /// What the table's filter matches, for Process all matching (nullopt: nothing to offer, the
    /// action is disabled). `description` names it in words, in the confirmation and the job's
    /// title ("Error leads matching “mustermann”, of page Acme Roofing").
    void setMatchingSelection(const std::optional<ReprocessSelection> &selection,
                              const QString &description = {});

    bool isBulkRunning() const { return m_bulk || m_resolving; }
    /// The dialog open now, if any (tests click through them).
    QMessageBox *confirmation() const { return m_confirmation; }
    LossDialog *lossDialog() const { return m_lossDialog; }
    CorrectionDialog *correctionDialog() const { return m_correctionDialog; }

public Q_SLOTS:
    void processAgain();
    void processSelected();
    /// Finds the leads the filter matches, asks the user to confirm how many will be processed
    /// (and which, in words), then processes them as one bulk job.
    void processMatching();
    /// Resolves `selection` off the GUI thread, then processes it as one bulk job.
    void processSelection(const leadkeeper::ReprocessSelection &selection, const QString &what);
    void correct();
    void markLoss();
    void restore();
    void cancelJob();

Q_SIGNALS:
    void jobResolving(const QString &what);
    void jobStarted(const QString &what, int total);
    void jobProgress(int done, int total);
    void jobFinished(const leadkeeper::ReprocessSummary &summary);
    /// A sentence for the status bar or the pane: what an action did, or why it failed.
    void message(const QString &text, bool isError);
    /// A lead was written to (status, corrections) or processed: refresh what shows it.
    void leadChanged(const QString &leadgenId);

private:
    void updateActions();
    void resolve(const ReprocessSelection &selection, const QString &what, bool confirm);
    void confirmBulk(QList<qint64> ids, const QString &what);
    void startBulk(QList<qint64> ids, const QString &what);
    void processEntry(qint64 entryId, const QString &leadgenId);
    /// Runs `write` (given a fresh ProcessingStore's connection) on a worker thread; `done` gets
    /// its error ("" = success) back on the GUI thread.
    void runWrite(const QString &leadgenId, std::function<QString(const QString &dbPath)> write,
                  std::function<void(const QString &error)> done);

    ProcessingEngine &m_engine;
    LeadDetail *m_detail;
    QString m_actor;
    QWidget *m_dialogParent;
    QAction *m_processAgain = nullptr;
    QAction *m_processSelected = nullptr;
    QAction *m_processMatching = nullptr;
    QAction *m_correct = nullptr;
    QAction *m_markLoss = nullptr;
    QAction *m_restore = nullptr;
    QStringList m_selected;
    std::optional<ReprocessSelection> m_matching;
    QString m_matchingDescription;
    QPointer<ReprocessJob> m_bulk;
    bool m_resolving = false;
    quint64 m_resolveGeneration = 0;
    QSet<qint64> m_singles; ///< entries of single "Process again" jobs in hand
    int m_writes = 0;       ///< store writes in flight
    QPointer<QMessageBox> m_confirmation;
    QPointer<LossDialog> m_lossDialog;
    QPointer<CorrectionDialog> m_correctionDialog;
};

} // namespace leadkeeper::ui
