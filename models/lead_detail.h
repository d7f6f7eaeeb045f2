#pragma once

#include "processing/lead_record.h"
#include "processing/mapping_types.h"
#include "store/lead_log_entry.h"
#include "store/lead_store.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <optional>

namespace leadkeeper {

/// Everything the desk shows about one lead log entry, read in one go.
struct LeadDetails
{
    LeadLogEntry entry;               ///< with its payloads and corrections
    std::optional<StoredLead> lead;   ///< the Lead it produced, if any
    QList<HistoryEvent> history;      ///< oldest first
    QList<FieldError> fieldErrors;    ///< from entry.fieldErrors
    QList<Correction> corrections;    ///< from entry.corrections, in the order they were made
    QString pageName;                 ///< "" when no page config exists for the page id
    bool pageEnabled = false;
    std::optional<FormMapping> form;  ///< the form's mapping, when the form is mapped
    QString fetchedFormName;          ///< the name Meta gave an unmapped form ("Fetch forms"), or ""
    QString region;                   ///< phone region: the page's, else the default
    /// What the lead payload maps to now (with the corrections), when the form is mapped and a
    /// payload is stored: the values to show beside their errors before any Lead exists.
    std::optional<LeadRecord> preview;
};

/**
 * Presenter of the detail pane: loads one lead's full details (entry with payloads, the Lead,
 * status history, field errors, corrections, page and form names, the form mapping) and emits them.
 *
 * Contract:
 * - Lives in, and is called from, the GUI thread; it never reads the store there. Each load runs
 *   on a private one-thread pool with a connection of its own (Database::open per load), and the
 *   result comes back queued.
 * - At most one load runs and at most one waits: a burst of selections (arrow key held down)
 *   collapses into the newest. A generation counter drops every result that is not the newest
 *   request, so loaded() always describes what was asked for last; clear() drops loads in flight.
 * - QtCore only (no widgets), so it is tested without a display.
 */
class LeadDetail : public QObject
{
    Q_OBJECT
public:
    LeadDetail(QString databasePath, QString defaultRegion, QObject *parent = nullptr);
    ~LeadDetail() override;

    /// Starts loading `leadgenId`; loaded() or loadFailed() follows unless superseded.
    void load(const QString &leadgenId);
    /// Loads the lead shown (or asked for) again; nothing when there is none.
    void reload();
    /// Reloads when `entryId` is the lead shown (wire ProcessingEngine::processed to it).
    void reloadIfShowing(qint64 entryId);
    /// Forgets the lead: drops loads in flight and emits cleared().
    void clear();

    /// The leadgen id last asked for ("" after clear()).
    QString requestedLeadgenId() const { return m_requested; }
    /// The details last loaded for requestedLeadgenId(), if they have arrived.
    const std::optional<LeadDetails> &current() const { return m_current; }
    bool isLoading() const { return m_running; }
    QString databasePath() const { return m_databasePath; }
    QString defaultRegion() const { return m_defaultRegion; }

    /// Reads the details synchronously on the calling thread's own connection (worker threads,
    /// tests). nullopt and *error when the lead is unknown or the store cannot be read.
    static std::optional<LeadDetails> read(const QString &databasePath, const QString &leadgenId,
                                           const QString &defaultRegion, QString *error);

Q_SIGNALS:
    void loadStarted(const QString &leadgenId);
    void loaded(const leadkeeper::LeadDetails &details);
    void loadFailed(const QString &leadgenId, const QString &error);
    void cleared();

private:
    void startNext();

    QString m_databasePath;
    QString m_defaultRegion;
    QThreadPool m_pool;
    QString m_requested;
    QString m_waiting; ///< asked for while a load ran
    bool m_hasWaiting = false;
    bool m_running = false;
    quint64 m_generation = 0;
    std::optional<LeadDetails> m_current;
};

} // namespace leadkeeper

Q_DECLARE_METATYPE(leadkeeper::LeadDetails)
