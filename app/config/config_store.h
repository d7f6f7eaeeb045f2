#pragma once

#include "config/page_config.h"
#include "processing/mapping_types.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <functional>
#include <optional>
#include <utility>

namespace leadkeeper {

/**
 * Reads and writes the configuration the pipeline runs on: page configs (table page_configs),
 * their form mappings (form_mappings) and each form's mapping rows (mapping_rows).
 *
 * Guarantees:
 * - Nothing invalid is written: savePage() and saveForm() validate first and refuse with one
 *   sentence (naming the mapping row where a row is at fault); the database is then unchanged.
 * - Every write that touches more than one row is one transaction: a form is saved together with
 *   its complete list of mapping rows (which replaces the old list), replacePages() writes a whole
 *   import, or nothing.
 * - Every value reaches SQL as a bound parameter.
 * - Reads run to the end before returning (no half-stepped statements, DESIGN.md §9).
 * - Reads report a database failure through *error (set to a sentence), distinct from "not
 *   found" (nullopt / empty list with *error left empty), so the pipeline never mistakes a
 *   locked database for an unconfigured page.
 *
 * Tokens are not stored here: a page only carries its tokenRef, the key into SecretStore.
 * Removing a page does not remove its token; the caller decides.
 *
 * Thread contract: a ConfigStore uses the connection it was given, so it lives in the thread that
 * opened that connection.
 */
class ConfigStore
{
public:
    explicit ConfigStore(QSqlDatabase db);

    // --- pages --------------------------------------------------------------------------------
    /// All pages, by name then page id.
    QList<PageConfig> listPages(QString *error = nullptr);
    std::optional<PageConfig> page(const QString &pageId, QString *error = nullptr);
    std::optional<PageConfig> pageById(qint64 id, QString *error = nullptr);
    /// Inserts, or updates the page with the same page id (page.id == 0) or the same row id
    /// (page.id != 0, which lets the page id itself be corrected). Fills in page.id,
    /// page.updatedAtMs and, when empty, page.tokenRef ("page:<page_id>").
    bool savePage(PageConfig &page, QString *error);
    bool setPageEnabled(const QString &pageId, bool enabled, QString *error);
    /// Removes the page with its forms and mapping rows (lead log entries keep their ids).
    bool removePage(const QString &pageId, QString *error);

    // --- forms --------------------------------------------------------------------------------
    /// The page's forms by form id, each with its mapping rows in order.
    QList<FormMapping> forms(qint64 pageConfigId, QString *error = nullptr);
    std::optional<FormMapping> form(qint64 pageConfigId, const QString &formId,
                                    QString *error = nullptr);
    /// Inserts or updates the form (by page config and form id) and replaces its mapping rows, in
    /// one transaction. Fills in form.id. Refuses an invalid mapping.
    bool saveForm(FormMapping &form, QString *error);
    bool setFormEnabled(qint64 pageConfigId, const QString &formId, bool enabled, QString *error);
    bool removeForm(qint64 pageConfigId, const QString &formId, QString *error);

    // --- for the pipeline ---------------------------------------------------------------------
    /// The page config for pageId (nullopt: no such page → Unconfigured) and, when mapped, the
    /// form for formId with its rows (inner nullopt: form not mapped → Unconfigured). Enabled
    /// flags are returned as stored; the pipeline decides. On a database failure: nullopt and
    /// *error set.
    std::optional<std::pair<PageConfig, std::optional<FormMapping>>>
    lookup(const QString &pageId, const QString &formId, QString *error = nullptr);

    // --- for imports --------------------------------------------------------------------------
    /// Writes every page (insert or update by page id) and makes each page's forms exactly the
    /// given ones (forms of the same form id are updated in place, the page's other forms are
    /// removed), all in one transaction. Pages not listed are left alone. Validates everything
    /// before writing; on any failure nothing is changed. Fills in ids and token refs.
    bool replacePages(QList<PageWithForms> &pages, QString *error);

    // --- validation (shared with ConfigFile and the desk) --------------------------------------
    /// "" when valid, else one sentence: page id digits, name not empty, region two capital
    /// letters or empty.
    static QString validatePage(const PageConfig &page);
    /// "" when valid, else one sentence: form id digits, questions a JSON array, and a mapping
    /// that LeadMapper::validateMapping() accepts (its sentence names the row at fault:
    /// "Form 456: Row 2 (question \"phone\") maps to \"telefon\", which is not a Lead field; ...").
    static QString validateForm(const FormMapping &form);
    /// The mapping rows alone (LeadMapper::validateMapping()); *row = 0-based index of the row at
    /// fault, or -1 when valid.
    static QString validateMappingRows(const FormMapping &form, int *row);
    /// A Meta id: 1 to 32 ASCII digits.
    static bool isMetaId(const QString &text);
    /// Two capital ASCII letters (ISO 3166 alpha-2 shape).
    static bool isRegionCode(const QString &region);
    /// "page:<page_id>".
    static QString defaultTokenRef(const QString &pageId);

private:
    bool writePage(PageConfig &page, qint64 nowMs, QString *error);
    bool writeForm(FormMapping &form, qint64 nowMs, QString *error);
    bool loadRows(QList<FormMapping> &forms, QString *error);
    bool inTransaction(const std::function<bool(QString *)> &work, QString *error);
    /// One bound statement that must touch at least one row, else `notFound`.
    bool execOne(const QString &sql, const QVariantList &binds, const QString &notFound,
                 QString *error);

    QSqlDatabase m_db;
};

} // namespace leadkeeper
