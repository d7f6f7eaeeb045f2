#include "reprocess_controller.h"

#include "correction_dialog.h"
#include "loss_dialog.h"
#include "processing/processing_engine.h"
#include "store/database.h"
#include "store/processing_store.h"

#include <QAction>
#include <QFutureWatcher>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>
#include <QtConcurrent>

namespace leadkeeper::ui {

namespace {

QAction *makeAction(const QString &text, const QKeySequence &shortcut, const QString &tip,
                    QObject *parent)
{
    auto *action = new QAction(text, parent);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    action->setStatusTip(tip);
    action->setToolTip(shortcut.isEmpty() ? tip
                                          : QStringLiteral("%1 (%2)").arg(
                                                tip, shortcut.toString(QKeySequence::NativeText)));
    action->setEnabled(false);
    return action;
}

// One sentence on how a single lead's processing ended.
QString singleOutcome(const QString &leadgenId, const ReprocessSummary &s)
{
    if (s.processed)
        return ReprocessController::tr("Lead %1 is Processed.").arg(leadgenId);
    if (s.error)
        return ReprocessController::tr("Lead %1 still has a problem; the details say what to fix.").arg(leadgenId);
    if (s.unconfigured)
        return ReprocessController::tr("Lead %1 is Unconfigured: set up its page and form in Setup → Pages and forms.").arg(leadgenId);
    if (s.disabled)
        return ReprocessController::tr("Lead %1 is Disabled: enable its page or form in Setup → Pages and forms.").arg(leadgenId);
    if (s.pending)
        return ReprocessController::tr("Lead %1 is waiting for Meta; Leadkeeper retries it automatically.").arg(leadgenId);
    if (s.failed)
        return ReprocessController::tr("Lead %1 could not be saved; try again in a moment.").arg(leadgenId);
    return ReprocessController::tr("Lead %1 was not processed: it is being processed already or changed meanwhile.")
        .arg(leadgenId);
}

} // namespace

ReprocessController::ReprocessController(ProcessingEngine &engine, LeadDetail *detail,
                                         QString actor, QWidget *dialogParent)
    : QObject(dialogParent), m_engine(engine), m_detail(detail), m_actor(std::move(actor)),
      m_dialogParent(dialogParent)
{
    m_processAgain = makeAction(tr("&Process again"), QKeySequence(tr("Ctrl+R")),
                                tr("Process the selected lead again"), this);
    m_processSelected = makeAction(tr("Process &selected"), QKeySequence(tr("Ctrl+Shift+R")),
                                   tr("Process every selected lead again, in the background"), this);
    m_processMatching = makeAction(tr("Process all &matching"), {},
                                   tr("Process every lead the filter shows again, in the background"),
                                   this);
    m_correct = makeAction(tr("&Correct data…"), QKeySequence(tr("Ctrl+E")),
                           tr("Fix the lead's values (for example the phone number), then process it"),
                           this);
    m_markLoss = makeAction(tr("Mark as &Loss…"), QKeySequence(tr("Ctrl+L")),
                            tr("Mark a lead that cannot be saved as Loss, with a reason"), this);
    m_restore = makeAction(tr("Rest&ore"), {}, tr("Take the lead out of Loss again"), this);

    connect(m_processAgain, &QAction::triggered, this, &ReprocessController::processAgain);
    connect(m_processSelected, &QAction::triggered, this, &ReprocessController::processSelected);
    connect(m_processMatching, &QAction::triggered, this, &ReprocessController::processMatching);
    connect(m_correct, &QAction::triggered, this, &ReprocessController::correct);
    connect(m_markLoss, &QAction::triggered, this, &ReprocessController::markLoss);
    connect(m_restore, &QAction::triggered, this, &ReprocessController::restore);

    connect(m_detail, &LeadDetail::loaded, this, &ReprocessController::updateActions);
    connect(m_detail, &LeadDetail::loadStarted, this, &ReprocessController::updateActions);
    connect(m_detail, &LeadDetail::loadFailed, this, &ReprocessController::updateActions);
    connect(m_detail, &LeadDetail::cleared, this, &ReprocessController::updateActions);
    connect(&m_engine, &ProcessingEngine::processed, this, [this](qint64 entryId) {
        m_detail->reloadIfShowing(entryId);
        updateActions();
    });
    updateActions();
}

ReprocessController::~ReprocessController()
{
    if (m_bulk)
        m_bulk->cancel();
}

QList<QAction *> ReprocessController::actions() const
{
    return {m_processAgain, m_processSelected, m_processMatching, m_correct, m_markLoss, m_restore};
}

void ReprocessController::setSelectedLeadgenIds(const QStringList &leadgenIds)
{
    m_selected = leadgenIds;
    updateActions();
}

void ReprocessController::setMatchingSelection(const std::optional<ReprocessSelection> &selection,
                                               const QString &description)
{
    m_matching = selection;
    m_matchingDescription = description;
    updateActions();
}

void ReprocessController::updateActions()
{
    const auto &cur = m_detail->current();
    const bool have = cur && cur->entry.leadgenId == m_detail->requestedLeadgenId();
    const LeadStatus status = have ? cur->entry.status : LeadStatus::Pending;
    const bool leadBusy = have
                          && (m_engine.isInFlight(cur->entry.id) || m_singles.contains(cur->entry.id));
    const bool idle = have && !leadBusy && m_writes == 0;
    m_processAgain->setEnabled(idle && ProcessingStore::canReprocess(status));
    m_correct->setEnabled(idle && ProcessingStore::canReprocess(status) && cur->form.has_value());
    m_markLoss->setEnabled(idle && status != LeadStatus::Pending && status != LeadStatus::Loss);
    m_restore->setEnabled(have && m_writes == 0 && status == LeadStatus::Loss);
    m_processSelected->setText(m_selected.size() > 1
                                   ? tr("Process &selected (%1)").arg(m_selected.size())
                                   : tr("Process &selected"));
    m_processSelected->setEnabled(!m_selected.isEmpty() && !isBulkRunning());
    m_processMatching->setEnabled(m_matching.has_value() && !isBulkRunning());
}

void ReprocessController::processAgain()
{
    const auto &cur = m_detail->current();
    if (!m_processAgain->isEnabled() || !cur)
        return;
    processEntry(cur->entry.id, cur->entry.leadgenId);
}

void ReprocessController::processEntry(qint64 entryId, const QString &leadgenId)
{
    ProcessOptions options;
    options.actor = m_actor;
    auto *job = new ReprocessJob(m_engine, {entryId}, options, this);
    m_singles.insert(entryId);
    connect(job, &ReprocessJob::finished, this,
            [this, job, entryId, leadgenId](const ReprocessSummary &summary) {
                m_singles.remove(entryId);
                job->deleteLater();
                Q_EMIT message(singleOutcome(leadgenId, summary), summary.processed == 0);
                Q_EMIT leadChanged(leadgenId);
                updateActions();
            });
    Q_EMIT message(tr("Processing lead %1…").arg(leadgenId), false);
    job->start();
    updateActions();
}

void ReprocessController::processSelected()
{
    if (!m_processSelected->isEnabled())
        return;
    ReprocessSelection selection;
    selection.leadgenIds = m_selected;
    processSelection(selection, m_selected.size() == 1 ? tr("1 selected lead")
                                                       : tr("%1 selected leads").arg(m_selected.size()));
}

void ReprocessController::processMatching()
{
    if (!m_processMatching->isEnabled() || !m_matching)
        return;
    resolve(*m_matching,
            m_matchingDescription.isEmpty() ? tr("the leads the filter shows") : m_matchingDescription,
            true);
}

void ReprocessController::processSelection(const ReprocessSelection &selection, const QString &what)
{
    resolve(selection, what, false);
}

void ReprocessController::resolve(const ReprocessSelection &selection, const QString &what,
                                  bool confirm)
{
    if (isBulkRunning())
        return;
    m_resolving = true;
    const quint64 generation = ++m_resolveGeneration;
    updateActions();
    Q_EMIT jobResolving(what);
    using Resolved = QPair<QList<qint64>, QString>;
    auto *watcher = new QFutureWatcher<Resolved>(this);
    connect(watcher, &QFutureWatcher<Resolved>::finished, this,
            [this, watcher, generation, what, confirm] {
        const Resolved r = watcher->result();
        watcher->deleteLater();
        if (generation != m_resolveGeneration) // cancelled while looking
            return;
        if (confirm && r.second.isEmpty() && !r.first.isEmpty())
            return confirmBulk(r.first, what); // still resolving until the user answers
        m_resolving = false;
        if (!r.second.isEmpty()) {
            Q_EMIT message(tr("The leads to process cannot be found: %1").arg(r.second), true);
            ReprocessSummary none;
            Q_EMIT jobFinished(none);
            updateActions();
            return;
        }
        startBulk(r.first, what);
    });
    const QString path = m_detail->databasePath();
    ReprocessSelection withRegion = selection;
    withRegion.phoneRegion = m_detail->defaultRegion();
    watcher->setFuture(QtConcurrent::run([path, selection = withRegion] {
        QString error;
        QList<qint64> ids = ReprocessJob::resolve(path, selection, &error);
        return Resolved(ids, error);
    }));
}

void ReprocessController::confirmBulk(QList<qint64> ids, const QString &what)
{
    // Still "resolving" while the question is open: no second bulk job can start meanwhile, and
    // the job bar's Cancel closes the question.
    const int n = int(ids.size());
    const QString count = QLocale().toString(n);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Process all matching"),
                                n == 1 ? tr("Process 1 lead again?")
                                       : tr("Process %1 leads again?").arg(count),
                                QMessageBox::Cancel, m_dialogParent);
    box->setTextFormat(Qt::PlainText); // the filter holds what the user typed: data, not markup
    QString text = box->text() + QStringLiteral("\n\n");
    if (!m_matchingDescription.isEmpty())
        text += tr("The filter shows %1.").arg(m_matchingDescription) + QStringLiteral("\n\n");
    box->setText(text + tr("Pending leads (being processed now) and Processed leads are left as "
                           "they are. The leads are processed in the background; you can cancel."));
    QPushButton *go = box->addButton(n == 1 ? tr("Process 1 lead") : tr("Process %1 leads").arg(count),
                                     QMessageBox::AcceptRole);
    box->setDefaultButton(go);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation = box;
    const quint64 generation = m_resolveGeneration;
    connect(box, &QMessageBox::finished, this, [this, box, go, generation, ids, what] {
        if (generation != m_resolveGeneration) // cancelled from the job bar meanwhile
            return;
        m_confirmation = nullptr;
        if (box->clickedButton() == go) {
            m_resolving = false;
            startBulk(ids, what);
        } else {
            cancelJob();
        }
    });
    box->open();
}

void ReprocessController::startBulk(QList<qint64> ids, const QString &what)
{
    ProcessOptions options;
    options.actor = m_actor;
    const int total = int(ids.size());
    m_bulk = new ReprocessJob(m_engine, std::move(ids), options, this);
    connect(m_bulk, &ReprocessJob::progress, this, &ReprocessController::jobProgress);
    connect(m_bulk, &ReprocessJob::finished, this, [this](const ReprocessSummary &summary) {
        if (m_bulk)
            m_bulk->deleteLater();
        m_bulk = nullptr;
        updateActions();
        Q_EMIT jobFinished(summary);
        Q_EMIT message(summary.describe(), summary.failed > 0);
        Q_EMIT leadChanged(QString());
    });
    updateActions();
    Q_EMIT jobStarted(what, total);
    m_bulk->start();
}

void ReprocessController::cancelJob()
{
    if (m_resolving) {
        ++m_resolveGeneration;
        if (m_confirmation)
            m_confirmation->close();
        m_resolving = false;
        ReprocessSummary none;
        none.cancelled = true;
        updateActions();
        Q_EMIT jobFinished(none);
        return;
    }
    if (m_bulk)
        m_bulk->cancel();
}

void ReprocessController::runWrite(const QString &leadgenId,
                                   std::function<QString(const QString &)> write,
                                   std::function<void(const QString &)> done)
{
    ++m_writes;
    updateActions();
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, leadgenId, done] {
        const QString error = watcher->result();
        watcher->deleteLater();
        --m_writes;
        if (!error.isEmpty())
            Q_EMIT message(error, true);
        done(error);
        if (m_detail->requestedLeadgenId() == leadgenId)
            m_detail->reload();
        Q_EMIT leadChanged(leadgenId);
        updateActions();
    });
    const QString path = m_detail->databasePath();
    watcher->setFuture(QtConcurrent::run([path, write] { return write(path); }));
}

namespace {

// A worker's own connection and ProcessingStore for one write.
QString withStore(const QString &path, const std::function<bool(ProcessingStore &, QString *)> &work)
{
    QString error;
    auto db = Database::open(path, &error);
    if (!db)
        return error;
    ProcessingStore store(db->sql());
    if (!work(store, &error))
        return error.isEmpty() ? QStringLiteral("The lead could not be saved.") : error;
    return {};
}

} // namespace

void ReprocessController::markLoss()
{
    const auto &cur = m_detail->current();
    if (!m_markLoss->isEnabled() || !cur || m_lossDialog)
        return;
    const QString leadgenId = cur->entry.leadgenId;
    const QString name = cur->lead ? cur->lead->customerName : QString();
    auto *dialog = new LossDialog(name.isEmpty() ? leadgenId : QStringLiteral("%1 (%2)").arg(name, leadgenId),
                                  m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_lossDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog, leadgenId] {
        const QString reason = dialog->reason();
        const QString actor = m_actor;
        runWrite(
            leadgenId,
            [leadgenId, reason, actor](const QString &path) {
                return withStore(path, [&](ProcessingStore &s, QString *e) {
                    return s.markLoss(leadgenId, reason, actor, e);
                });
            },
            [this, leadgenId](const QString &error) {
                if (error.isEmpty())
                    Q_EMIT message(tr("Lead %1 is marked as Loss.").arg(leadgenId), false);
            });
    });
    dialog->open();
}

void ReprocessController::restore()
{
    const auto &cur = m_detail->current();
    if (!m_restore->isEnabled() || !cur)
        return;
    const QString leadgenId = cur->entry.leadgenId;
    const QString actor = m_actor;
    runWrite(
        leadgenId,
        [leadgenId, actor](const QString &path) {
            return withStore(path, [&](ProcessingStore &s, QString *e) {
                return s.restoreFromLoss(leadgenId, actor, e);
            });
        },
        [this, leadgenId](const QString &error) {
            if (error.isEmpty())
                Q_EMIT message(tr("Lead %1 is restored from Loss.").arg(leadgenId), false);
        });
}

void ReprocessController::correct()
{
    const auto &cur = m_detail->current();
    if (!m_correct->isEnabled() || !cur || m_correctionDialog)
        return;
    auto *dialog = new CorrectionDialog(*cur, m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_correctionDialog = dialog;
    const QString leadgenId = cur->entry.leadgenId;
    const qint64 entryId = cur->entry.id;
    connect(dialog, &QDialog::accepted, this, [this, dialog, leadgenId, entryId] {
        const QList<QPair<QString, QString>> changes = dialog->model()->changes();
        if (changes.isEmpty())
            return;
        const QString actor = m_actor;
        runWrite(
            leadgenId,
            [leadgenId, changes, actor](const QString &path) {
                return withStore(path, [&](ProcessingStore &s, QString *e) {
                    for (const auto &[target, value] : changes)
                        if (!s.addCorrection(leadgenId, target, value, actor, e))
                            return false;
                    return true;
                });
            },
            [this, leadgenId, entryId](const QString &error) {
                if (error.isEmpty())
                    processEntry(entryId, leadgenId);
            });
    });
    dialog->open();
}

} // namespace leadkeeper::ui
