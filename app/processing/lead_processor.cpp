#include "lead_processor.h"

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "config/secret_store.h"
#include "meta/graph_client.h"
#include "meta/graph_error.h"
#include "processing/lead_mapper.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace leadkeeper {

qint64 RetryPolicy::delayFor(int attempt, qint64 notBeforeMs) const
{
    const int doublings = qBound(0, attempt - 1, 30);
    const double base = qMin(double(maxDelayMs), double(baseDelayMs) * double(1LL << doublings));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return qMax(notBeforeMs, qint64(base * jitter));
}

LeadProcessor::LeadProcessor(QSqlDatabase db, GraphClient &graph, SecretStore &secrets,
                             RetryPolicy policy)
    : m_db(std::move(db)), m_store(m_db), m_graph(graph), m_secrets(secrets), m_policy(std::move(policy))
{
}

namespace {

QString fieldErrorsSentence(const QList<FieldError> &errors)
{
    if (errors.size() == 1)
        return errors.constFirst().message;
    QStringList parts;
    for (const FieldError &e : errors)
        parts << e.message;
    return QStringLiteral("%1 fields need fixing: %2").arg(errors.size()).arg(parts.join(QLatin1Char(' ')));
}

} // namespace

LeadProcessor::Result LeadProcessor::process(qint64 entryId, const ProcessOptions &options)
{
    Result result;
    ProcessingStore &store = m_store;
    const auto entry = store.byId(entryId, &result.error);
    if (!entry)
        return result;
    result.leadgenId = entry->leadgenId;
    result.pageId = entry->pageId;
    const bool allowed = options.reprocess ? ProcessingStore::canReprocess(entry->status)
                                           : entry->status == LeadStatus::Pending;
    if (!allowed) {
        result.skipped = true;
        result.status = entry->status;
        result.write = ProcessingStore::WriteResult::Stale;
        return result;
    }

    ProcessingOutcome out;
    out.attempts = options.reprocess ? 0 : entry->attempts;
    out.byPerson = options.reprocess;
    auto finish = [&](LeadStatus status, const QString &message) {
        out.status = status;
        out.message = message;
        result.status = status;
        result.message = message;
        result.write = store.writeOutcome(*entry, out, options.actor, &result.error);
        return result;
    };

    ConfigStore config(m_db);
    QString lookupError;
    const auto found = config.lookup(entry->pageId, entry->formId, &lookupError);
    if (!found && !lookupError.isEmpty()) {
        // The store could not be read (e.g. locked): not the lead's fault; it stays as it is and
        // is picked up again.
        result.error = QStringLiteral("The page configuration cannot be read: %1").arg(lookupError);
        return result;
    }
    // Messages say what is wrong in their first words: the desk's Error column shows those.
    if (!found) {
        return finish(LeadStatus::Unconfigured,
                      QStringLiteral("Page not set up: Facebook page id %1. Add the page in Pages "
                                     "and forms, then process the lead again.")
                          .arg(entry->pageId));
    }
    const PageConfig &page = found->first;
    const QString pageName = page.name.isEmpty() ? page.pageId : page.name;
    out.pageConfigId = page.id;
    if (!found->second) {
        // Named as staff know it when "Fetch forms from Meta" found it.
        QString formName = entry->formId.isEmpty() ? QStringLiteral("(unknown)") : entry->formId;
        if (const QString fetched = FetchedFormStore(m_db).formName(page.id, entry->formId);
            !fetched.isEmpty())
            formName = QStringLiteral("%1 (%2)").arg(fetched, entry->formId);
        return finish(LeadStatus::Unconfigured,
                      QStringLiteral("Form not mapped: %1 of page %2. Map its questions to Lead "
                                     "fields in Pages and forms, then process the lead again.")
                          .arg(formName, pageName));
    }
    const FormMapping &form = *found->second;
    out.formMappingId = form.id;
    if (!page.enabled) {
        return finish(LeadStatus::Disabled,
                      QStringLiteral("Page disabled: %1. Enable it in Pages and forms to process its "
                                     "leads.")
                          .arg(pageName));
    }
    if (!form.enabled) {
        return finish(LeadStatus::Disabled,
                      QStringLiteral("Form disabled: %1 of page %2. Enable it in Pages and forms to "
                                     "process its leads.")
                          .arg(form.formName.isEmpty() ? form.formId : form.formName, pageName));
    }

    QByteArray payload = entry->leadPayload;
    if (payload.isEmpty() || options.refetch) {
        QString secretError;
        const QByteArray token = m_secrets.token(page.tokenRef, &secretError).value_or(QString()).toUtf8();
        if (!secretError.isEmpty()) {
            // The keychain did not answer: transient, retried like a network failure.
            out.attempts += 1;
            if (out.attempts >= m_policy.maxAttempts) {
                return finish(LeadStatus::Error,
                              QStringLiteral("The access token of page %1 could not be read after %2 "
                                             "attempts (%3). Check the system keychain, then process "
                                             "the lead again.")
                                  .arg(pageName)
                                  .arg(out.attempts)
                                  .arg(secretError));
            }
            out.nextAttemptAtMs = QDateTime::currentMSecsSinceEpoch() + m_policy.delayFor(out.attempts);
            return finish(LeadStatus::Pending,
                          QStringLiteral("Attempt %1 of %2 failed: the access token of page %3 could "
                                         "not be read (%4). Leadkeeper will retry automatically.")
                              .arg(out.attempts)
                              .arg(m_policy.maxAttempts)
                              .arg(pageName, secretError));
        }
        if (token.isEmpty()) {
            return finish(LeadStatus::Error,
                          QStringLiteral("Page %1 has no access token. Enter the page access token "
                                         "under Pages, then process the lead again.")
                              .arg(pageName));
        }
        const auto fetched = m_graph.fetchLead(entry->leadgenId, token);
        if (!fetched.ok()) {
            const GraphError &e = *fetched.error;
            out.historyText = e.historyText();
            if (e.kind == GraphError::Kind::Transient) {
                out.attempts += 1;
                result.pageRetryAfterMs = e.retryAfterMs;
                if (out.attempts >= m_policy.maxAttempts) {
                    // The staff sentence of a transient error promises a retry; this one is final.
                    const QString last = e.network ? (e.timedOut ? QStringLiteral("Meta did not answer in time")
                                                                 : QStringLiteral("Meta could not be reached"))
                                                   : QStringLiteral("Meta error %1").arg(e.codeText().isEmpty()
                                                                                            ? QStringLiteral("HTTP %1").arg(e.httpStatus)
                                                                                            : e.codeText());
                    return finish(LeadStatus::Error,
                                  QStringLiteral("Meta could not deliver this lead after %1 "
                                                 "attempts (last: %2). Process it again when Meta "
                                                 "answers again.")
                                      .arg(out.attempts)
                                      .arg(last));
                }
                out.nextAttemptAtMs = QDateTime::currentMSecsSinceEpoch()
                                      + m_policy.delayFor(out.attempts, e.retryAfterMs.value_or(0));
                return finish(LeadStatus::Pending,
                              QStringLiteral("Attempt %1 of %2 failed. %3")
                                  .arg(out.attempts)
                                  .arg(m_policy.maxAttempts)
                                  .arg(e.staffMessage(pageName, entry->leadgenId)));
            }
            return finish(LeadStatus::Error, e.staffMessage(pageName, entry->leadgenId));
        }
        payload = *fetched.value;
        out.leadPayload = payload;
    }

    const QString region = page.defaultRegion.isEmpty() ? m_policy.defaultRegion : page.defaultRegion;
    const QList<Correction> corrections = Correction::fromJson(entry->corrections);
    const LeadMapper::Result mapped =
        LeadMapper::map(payload, form, corrections, region, form.formName);
    out.platform = mapped.lead.platform;
    out.organic = mapped.lead.organic;
    if (!mapped.ok()) {
        out.fieldErrors = FieldError::toJson(mapped.errors);
        return finish(LeadStatus::Error, fieldErrorsSentence(mapped.errors));
    }
    ProcessingOutcome::LeadRow row;
    LeadRecord l = mapped.lead;
    if (l.pageId.isEmpty())
        l.pageId = entry->pageId; // Graph's lead payload carries no page id; the webhook did
    if (l.formId.isEmpty())
        l.formId = entry->formId;
    row.customerName = l.customerName;
    row.firstName = l.firstName;
    row.lastName = l.lastName;
    row.phone = l.phone;
    row.email = l.email;
    row.city = l.city;
    row.standardFields = l.standardJson();
    row.customFields = l.customJson();
    row.attribution = l.attributionJson();
    row.createdAtMs = l.createdAtMs ? l.createdAtMs : entry->createdAtMs;
    out.lead = row;
    out.historyText = options.reprocess ? QStringLiteral("Processed again by %1").arg(options.actor)
                                        : QStringLiteral("Processed");
    return finish(LeadStatus::Processed, QString());
}

} // namespace leadkeeper
