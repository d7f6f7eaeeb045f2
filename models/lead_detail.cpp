#include "lead_detail.h"

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "processing/lead_mapper.h"
#include "store/database.h"
#include "store/lead_log_store.h"

#include <QMetaObject>

namespace leadkeeper {

LeadDetail::LeadDetail(QString databasePath, QString defaultRegion, QObject *parent)
    : QObject(parent), m_databasePath(std::move(databasePath)),
      m_defaultRegion(std::move(defaultRegion))
{
    qRegisterMetaType<LeadDetails>("leadkeeper::LeadDetails");
    // One reader thread: loads run one after the other, and the thread stays (no start-up cost).
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

LeadDetail::~LeadDetail()
{
    // After this no worker posts to us any more; events already posted die with the object.
    m_pool.waitForDone();
}

void LeadDetail::load(const QString &leadgenId)
{
    m_requested = leadgenId;
    ++m_generation;
    if (m_current && m_current->entry.leadgenId != leadgenId)
        m_current.reset();
    Q_EMIT loadStarted(leadgenId);
    if (m_running) {
        m_waiting = leadgenId;
        m_hasWaiting = true;
        return;
    }
    m_waiting = leadgenId;
    m_hasWaiting = true;
    startNext();
}

void LeadDetail::reload()
{
    if (!m_requested.isEmpty())
        load(m_requested);
}

void LeadDetail::reloadIfShowing(qint64 entryId)
{
    if (m_current && m_current->entry.id == entryId)
        reload();
}

void LeadDetail::clear()
{
    ++m_generation;
    m_requested.clear();
    m_hasWaiting = false;
    m_current.reset();
    Q_EMIT cleared();
}

void LeadDetail::startNext()
{
    if (!m_hasWaiting)
        return;
    m_hasWaiting = false;
    m_running = true;
    const QString leadgenId = m_waiting;
    const quint64 generation = m_generation;
    const QString path = m_databasePath;
    const QString region = m_defaultRegion;
    m_pool.start([this, leadgenId, generation, path, region] {
        QString error;
        std::optional<LeadDetails> details = read(path, leadgenId, region, &error);
        QMetaObject::invokeMethod(
            this,
            [this, leadgenId, generation, details = std::move(details), error] {
                m_running = false;
                // Only the newest request counts; anything older is stale.
                if (generation == m_generation) {
                    if (details) {
                        m_current = details;
                        Q_EMIT loaded(*details);
                    } else {
                        m_current.reset();
                        Q_EMIT loadFailed(leadgenId, error);
                    }
                }
                startNext();
            },
            Qt::QueuedConnection);
    });
}

std::optional<LeadDetails> LeadDetail::read(const QString &databasePath, const QString &leadgenId,
                                            const QString &defaultRegion, QString *error)
{
    Database::Options options;
    options.createIfMissing = false;
    auto db = Database::open(databasePath, options, error);
    if (!db)
        return std::nullopt;

    LeadLogStore log(db->sql());
    auto entry = log.find(leadgenId, error);
    if (!entry)
        return std::nullopt;

    LeadDetails details;
    details.entry = std::move(*entry);
    QString readError;
    details.history = log.history(details.entry.id, &readError);
    if (!readError.isEmpty()) {
        *error = readError;
        return std::nullopt;
    }
    if (details.entry.leadId) {
        LeadStore leads(db->sql());
        QString notFound;
        details.lead = leads.byLeadgenId(leadgenId, &notFound);
    }
    details.fieldErrors = FieldError::fromJson(details.entry.fieldErrors);
    details.corrections = Correction::fromJson(details.entry.corrections);

    ConfigStore config(db->sql());
    details.region = defaultRegion;
    const auto found = config.lookup(details.entry.pageId, details.entry.formId, &readError);
    if (!found && !readError.isEmpty()) {
        *error = readError;
        return std::nullopt;
    }
    if (found) {
        details.pageName = found->first.name;
        details.pageEnabled = found->first.enabled;
        if (!found->first.defaultRegion.isEmpty())
            details.region = found->first.defaultRegion;
        details.form = found->second;
        if (!details.form)
            details.fetchedFormName =
                FetchedFormStore(db->sql()).formName(found->first.id, details.entry.formId);
    }
    if (details.form && !details.entry.leadPayload.isEmpty())
        details.preview = LeadMapper::map(details.entry.leadPayload, *details.form,
                                          details.corrections, details.region,
                                          details.form->formName)
                              .lead;
    return details;
}

} // namespace leadkeeper
