#include "config_store.h"

#include "processing/lead_mapper.h"
#include "store/sql_values.h"
#include "store/write_transaction.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace leadkeeper {

namespace {

QString readFailure(const QSqlQuery &q)
{
    return QStringLiteral("The configuration cannot be read: %1").arg(q.lastError().text());
}

QString writeFailure(const QString &detail)
{
    return QStringLiteral("The configuration cannot be written: %1").arg(detail);
}

const QString &pageColumns()
{
    static const QString columns =
        QStringLiteral("id, page_id, name, enabled, default_region, token_ref, updated_at");
    return columns;
}

PageConfig pageFromRecord(const QSqlQuery &q)
{
    PageConfig p;
    p.id = q.value(0).toLongLong();
    p.pageId = q.value(1).toString();
    p.name = q.value(2).toString();
    p.enabled = q.value(3).toInt() != 0;
    p.defaultRegion = q.value(4).toString();
    p.tokenRef = q.value(5).toString();
    p.updatedAtMs = q.value(6).toLongLong();
    return p;
}

const QString &formColumns()
{
    static const QString columns =
        QStringLiteral("id, page_config_id, form_id, form_name, questions, enabled");
    return columns;
}

FormMapping formFromRecord(const QSqlQuery &q)
{
    FormMapping f;
    f.id = q.value(0).toLongLong();
    f.pageConfigId = q.value(1).toLongLong();
    f.formId = q.value(2).toString();
    f.formName = q.value(3).toString();
    f.questions = q.value(4).toString().toUtf8();
    f.enabled = q.value(5).toInt() != 0;
    return f;
}

/// The five row columns from `first` on: question_key, lead_field, default_value, transform, mandatory.
MappingRow rowFromRecord(const QSqlQuery &q, int first)
{
    MappingRow r;
    r.questionKey = q.value(first).toString();
    r.leadField = q.value(first + 1).toString();
    r.defaultValue = q.value(first + 2).toString();
    r.transform = q.value(first + 3).toString();
    r.mandatory = q.value(first + 4).toInt() != 0;
    return r;
}

} // namespace

ConfigStore::ConfigStore(QSqlDatabase db) : m_db(std::move(db)) {}

bool ConfigStore::isMetaId(const QString &text)
{
    return !text.isEmpty() && text.size() <= 32 && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
               return c >= QLatin1Char('0') && c <= QLatin1Char('9');
           });
}

bool ConfigStore::isRegionCode(const QString &region)
{
    return region.size() == 2 && std::all_of(region.cbegin(), region.cend(), [](QChar c) {
               return c >= QLatin1Char('A') && c <= QLatin1Char('Z');
           });
}

QString ConfigStore::defaultTokenRef(const QString &pageId)
{
    return QStringLiteral("page:") + pageId;
}

QString ConfigStore::validatePage(const PageConfig &page)
{
    if (!isMetaId(page.pageId))
        return QStringLiteral("The page id \"%1\" is not a Facebook page id (expected digits only).")
            .arg(page.pageId.left(40));
    if (page.name.trimmed().isEmpty())
        return QStringLiteral("Page %1 needs a name.").arg(page.pageId);
    if (!page.defaultRegion.isEmpty() && !isRegionCode(page.defaultRegion))
        return QStringLiteral("The default region \"%1\" of page %2 is not a region code (two "
                              "capital letters such as DE, or empty for the settings default).")
            .arg(page.defaultRegion.left(10), page.pageId);
    return {};
}

QString ConfigStore::validateMappingRows(const FormMapping &form, int *row)
{
    *row = -1;
    const QString problem = LeadMapper::validateMapping(form);
    if (problem.isEmpty())
        return {};
    // validateMapping() reports the first bad row, judged with the rows before it (a field mapped
    // twice is only wrong in context), so the shortest failing prefix ends at that row.
    FormMapping prefix = form;
    prefix.rows.clear();
    for (qsizetype i = 0; i < form.rows.size(); ++i) {
        prefix.rows << form.rows.at(i);
        if (!LeadMapper::validateMapping(prefix).isEmpty()) {
            *row = int(i);
            break;
        }
    }
    return problem;
}

QString ConfigStore::validateForm(const FormMapping &form)
{
    if (!isMetaId(form.formId))
        return QStringLiteral("The form id \"%1\" is not a Meta form id (expected digits only).")
            .arg(form.formId.left(40));
    if (!form.questions.isEmpty()) {
        const auto questions = nlohmann::json::parse(form.questions.cbegin(), form.questions.cend(),
                                                     nullptr, false);
        if (!questions.is_array())
            return QStringLiteral("The questions of form %1 are not a JSON array.").arg(form.formId);
    }
    int row = -1;
    const QString problem = validateMappingRows(form, &row);
    if (problem.isEmpty())
        return {};
    // LeadMapper's sentence names the row ("Row 2 (question \"phone\") maps to ...").
    return QStringLiteral("Form %1: %2").arg(form.formId, problem);
}

// --- reads ------------------------------------------------------------------------------------

QList<PageConfig> ConfigStore::listPages(QString *error)
{
    setError(error, {});
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    QList<PageConfig> pages;
    if (!q.exec(QStringLiteral("SELECT %1 FROM page_configs ORDER BY name, length(page_id), page_id")
                    .arg(pageColumns()))) {
        setError(error, readFailure(q));
        return pages;
    }
    while (q.next())
        pages << pageFromRecord(q);
    return pages;
}

std::optional<PageConfig> ConfigStore::page(const QString &pageId, QString *error)
{
    setError(error, {});
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM page_configs WHERE page_id = ?").arg(pageColumns()));
    q.addBindValue(sqlText(pageId));
    if (!q.exec()) {
        setError(error, readFailure(q));
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return pageFromRecord(q);
}

std::optional<PageConfig> ConfigStore::pageById(qint64 id, QString *error)
{
    setError(error, {});
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM page_configs WHERE id = ?").arg(pageColumns()));
    q.addBindValue(id);
    if (!q.exec()) {
        setError(error, readFailure(q));
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return pageFromRecord(q);
}

bool ConfigStore::loadRows(QList<FormMapping> &forms, QString *error)
{
    if (forms.isEmpty())
        return true;
    QHash<qint64, qsizetype> index;
    for (qsizetype i = 0; i < forms.size(); ++i)
        index.insert(forms.at(i).id, i);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // One statement per page (or form), whatever the number of forms.
    q.prepare(QStringLiteral(
        "SELECT form_mapping_id, question_key, lead_field, default_value, transform, mandatory "
        "FROM mapping_rows WHERE form_mapping_id IN (SELECT id FROM form_mappings WHERE "
        "page_config_id = ?) ORDER BY form_mapping_id, position, id"));
    q.addBindValue(forms.constFirst().pageConfigId);
    if (!q.exec()) {
        setError(error, readFailure(q));
        return false;
    }
    while (q.next()) {
        const auto it = index.constFind(q.value(0).toLongLong());
        if (it == index.constEnd())
            continue;
        forms[*it].rows << rowFromRecord(q, 1);
    }
    return true;
}

QList<FormMapping> ConfigStore::forms(qint64 pageConfigId, QString *error)
{
    setError(error, {});
    QList<FormMapping> result;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM form_mappings WHERE page_config_id = ? "
                             "ORDER BY length(form_id), form_id")
                  .arg(formColumns()));
    q.addBindValue(pageConfigId);
    if (!q.exec()) {
        setError(error, readFailure(q));
        return result;
    }
    while (q.next())
        result << formFromRecord(q);
    if (!loadRows(result, error))
        return {};
    return result;
}

std::optional<FormMapping> ConfigStore::form(qint64 pageConfigId, const QString &formId,
                                             QString *error)
{
    setError(error, {});
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM form_mappings WHERE page_config_id = ? AND form_id = ?")
                  .arg(formColumns()));
    q.addBindValue(pageConfigId);
    q.addBindValue(sqlText(formId));
    if (!q.exec()) {
        setError(error, readFailure(q));
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    FormMapping f = formFromRecord(q);
    q.finish();

    QSqlQuery rows(m_db);
    rows.setForwardOnly(true);
    rows.prepare(QStringLiteral("SELECT question_key, lead_field, default_value, transform, "
                                "mandatory FROM mapping_rows WHERE form_mapping_id = ? "
                                "ORDER BY position, id"));
    rows.addBindValue(f.id);
    if (!rows.exec()) {
        setError(error, readFailure(rows));
        return std::nullopt;
    }
    while (rows.next())
        f.rows << rowFromRecord(rows, 0);
    return f;
}

std::optional<std::pair<PageConfig, std::optional<FormMapping>>>
ConfigStore::lookup(const QString &pageId, const QString &formId, QString *error)
{
    QString failure;
    auto p = page(pageId, &failure);
    if (!p) {
        setError(error, failure);
        return std::nullopt;
    }
    auto f = form(p->id, formId, &failure);
    if (!failure.isEmpty()) {
        setError(error, failure);
        return std::nullopt;
    }
    setError(error, {});
    return std::make_pair(std::move(*p), std::move(f));
}

// --- writes -----------------------------------------------------------------------------------

bool ConfigStore::inTransaction(const std::function<bool(QString *)> &work, QString *error)
{
    WriteTransaction tx(m_db); // rolls back unless committed
    if (!tx.isOpen()) {
        setError(error, writeFailure(tx.errorText()));
        return false;
    }
    QString failure;
    if (!work(&failure)) {
        setError(error, failure);
        return false;
    }
    if (!tx.commit()) {
        setError(error, writeFailure(tx.errorText()));
        return false;
    }
    return true;
}

bool ConfigStore::execOne(const QString &sql, const QVariantList &binds, const QString &notFound,
                          QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        setError(error, writeFailure(q.lastError().text()));
        return false;
    }
    if (q.numRowsAffected() < 1) {
        setError(error, notFound);
        return false;
    }
    return true;
}

bool ConfigStore::writePage(PageConfig &page, qint64 nowMs, QString *error)
{
    if (page.tokenRef.isEmpty())
        page.tokenRef = defaultTokenRef(page.pageId);
    QSqlQuery q(m_db);
    if (page.id != 0) {
        q.prepare(QStringLiteral("UPDATE page_configs SET page_id = ?, name = ?, enabled = ?, "
                                 "default_region = ?, token_ref = ?, updated_at = ? WHERE id = ? "
                                 "RETURNING id"));
    } else {
        q.prepare(QStringLiteral(
            "INSERT INTO page_configs (page_id, name, enabled, default_region, token_ref, "
            "updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (page_id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled, "
            "default_region = excluded.default_region, token_ref = excluded.token_ref, "
            "updated_at = excluded.updated_at RETURNING id"));
    }
    q.addBindValue(sqlText(page.pageId));
    q.addBindValue(sqlText(page.name.trimmed()));
    q.addBindValue(page.enabled ? 1 : 0);
    q.addBindValue(sqlText(page.defaultRegion));
    q.addBindValue(sqlText(page.tokenRef));
    q.addBindValue(nowMs);
    q.addBindValue(page.id != 0 ? page.id : nowMs); // WHERE id = ? / created_at
    if (!q.exec()) {
        const QString text = q.lastError().text();
        if (text.contains(QLatin1String("UNIQUE"), Qt::CaseInsensitive))
            setError(error, QStringLiteral("Another page config already has page id %1.").arg(page.pageId));
        else
            setError(error, writeFailure(text));
        return false;
    }
    if (!q.next()) {
        setError(error, QStringLiteral("The page config %1 no longer exists (removed elsewhere?).")
                            .arg(page.pageId));
        return false;
    }
    page.id = q.value(0).toLongLong();
    page.name = page.name.trimmed();
    page.updatedAtMs = nowMs;
    return true;
}

bool ConfigStore::writeForm(FormMapping &form, qint64 nowMs, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO form_mappings (page_config_id, form_id, form_name, questions, enabled, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (page_config_id, form_id) DO UPDATE SET form_name = excluded.form_name, "
        "questions = excluded.questions, enabled = excluded.enabled, "
        "updated_at = excluded.updated_at RETURNING id"));
    q.addBindValue(form.pageConfigId);
    q.addBindValue(sqlText(form.formId));
    q.addBindValue(sqlText(form.formName));
    q.addBindValue(form.questions.isEmpty() ? QStringLiteral("[]") : QString::fromUtf8(form.questions));
    q.addBindValue(form.enabled ? 1 : 0);
    q.addBindValue(nowMs);
    if (!q.exec() || !q.next()) {
        const QString text = q.lastError().text();
        if (text.contains(QLatin1String("FOREIGN KEY"), Qt::CaseInsensitive))
            setError(error, QStringLiteral("Form %1 belongs to a page config that does not exist.")
                                .arg(form.formId));
        else
            setError(error, writeFailure(text));
        return false;
    }
    form.id = q.value(0).toLongLong();
    q.finish();

    QSqlQuery clear(m_db);
    clear.prepare(QStringLiteral("DELETE FROM mapping_rows WHERE form_mapping_id = ?"));
    clear.addBindValue(form.id);
    if (!clear.exec()) {
        setError(error, writeFailure(clear.lastError().text()));
        return false;
    }
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral(
        "INSERT INTO mapping_rows (form_mapping_id, position, question_key, lead_field, "
        "default_value, transform, mandatory) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < form.rows.size(); ++i) {
        const MappingRow &r = form.rows.at(i);
        insert.bindValue(0, form.id);
        insert.bindValue(1, qint64(i));
        insert.bindValue(2, sqlText(r.questionKey.trimmed()));
        insert.bindValue(3, sqlText(r.leadField.trimmed()));
        insert.bindValue(4, sqlText(r.defaultValue));
        insert.bindValue(5, sqlText(r.transform.trimmed()));
        insert.bindValue(6, r.mandatory ? 1 : 0);
        if (!insert.exec()) {
            setError(error, writeFailure(insert.lastError().text()));
            return false;
        }
    }
    return true;
}

bool ConfigStore::savePage(PageConfig &page, QString *error)
{
    const QString problem = validatePage(page);
    if (!problem.isEmpty()) {
        setError(error, problem);
        return false;
    }
    PageConfig copy = page;
    if (!writePage(copy, QDateTime::currentMSecsSinceEpoch(), error))
        return false;
    page = copy;
    return true;
}

bool ConfigStore::setPageEnabled(const QString &pageId, bool enabled, QString *error)
{
    return execOne(QStringLiteral("UPDATE page_configs SET enabled = ?, updated_at = ? WHERE page_id = ?"),
                   {enabled ? 1 : 0, QDateTime::currentMSecsSinceEpoch(), sqlText(pageId)},
                   QStringLiteral("No page config has page id %1.").arg(pageId), error);
}

bool ConfigStore::removePage(const QString &pageId, QString *error)
{
    return execOne(QStringLiteral("DELETE FROM page_configs WHERE page_id = ?"), {sqlText(pageId)},
                   QStringLiteral("No page config has page id %1.").arg(pageId), error);
}

bool ConfigStore::saveForm(FormMapping &form, QString *error)
{
    const QString problem = validateForm(form);
    if (!problem.isEmpty()) {
        setError(error, problem);
        return false;
    }
    FormMapping copy = form;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!inTransaction([&](QString *failure) { return writeForm(copy, now, failure); }, error))
        return false;
    form.id = copy.id;
    return true;
}

bool ConfigStore::setFormEnabled(qint64 pageConfigId, const QString &formId, bool enabled,
                                 QString *error)
{
    return execOne(QStringLiteral("UPDATE form_mappings SET enabled = ?, updated_at = ? "
                                  "WHERE page_config_id = ? AND form_id = ?"),
                   {enabled ? 1 : 0, QDateTime::currentMSecsSinceEpoch(), pageConfigId, sqlText(formId)},
                   QStringLiteral("Form %1 is not mapped for this page.").arg(formId), error);
}

bool ConfigStore::removeForm(qint64 pageConfigId, const QString &formId, QString *error)
{
    return execOne(QStringLiteral("DELETE FROM form_mappings WHERE page_config_id = ? AND form_id = ?"),
                   {pageConfigId, sqlText(formId)},
                   QStringLiteral("Form %1 is not mapped for this page.").arg(formId), error);
}

bool ConfigStore::replacePages(QList<PageWithForms> &pages, QString *error)
{
    QSet<QString> pageIds;
    for (const PageWithForms &p : std::as_const(pages)) {
        QString problem = validatePage(p.page);
        if (problem.isEmpty() && pageIds.contains(p.page.pageId))
            problem = QStringLiteral("Page %1 is listed twice.").arg(p.page.pageId);
        pageIds.insert(p.page.pageId);
        QSet<QString> formIds;
        for (const FormMapping &f : p.forms) {
            if (problem.isEmpty())
                problem = validateForm(f);
            if (problem.isEmpty() && formIds.contains(f.formId))
                problem = QStringLiteral("Form %1 is listed twice for page %2.")
                              .arg(f.formId, p.page.pageId);
            formIds.insert(f.formId);
        }
        if (!problem.isEmpty()) {
            setError(error, problem);
            return false;
        }
    }

    QList<PageWithForms> copy = pages;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool ok = inTransaction(
        [&](QString *failure) {
            for (PageWithForms &p : copy) {
                // An existing page keeps its row id (lead log references) and its token ref.
                QString readError;
                const auto existing = page(p.page.pageId, &readError);
                if (!readError.isEmpty()) {
                    *failure = readError;
                    return false;
                }
                if (existing) {
                    p.page.id = existing->id;
                    if (p.page.tokenRef.isEmpty())
                        p.page.tokenRef = existing->tokenRef;
                } else {
                    p.page.id = 0;
                }
                if (!writePage(p.page, now, failure))
                    return false;
                QStringList placeholders;
                for (FormMapping &f : p.forms) {
                    f.pageConfigId = p.page.id;
                    if (!writeForm(f, now, failure))
                        return false;
                    placeholders << QStringLiteral("?");
                }
                // The page's forms become exactly the listed ones.
                QSqlQuery drop(m_db);
                drop.prepare(QStringLiteral("DELETE FROM form_mappings WHERE page_config_id = ?%1")
                                 .arg(placeholders.isEmpty()
                                          ? QString()
                                          : QStringLiteral(" AND id NOT IN (%1)")
                                                .arg(placeholders.join(QLatin1Char(',')))));
                drop.addBindValue(p.page.id);
                for (const FormMapping &f : std::as_const(p.forms))
                    drop.addBindValue(f.id);
                if (!drop.exec()) {
                    *failure = writeFailure(drop.lastError().text());
                    return false;
                }
            }
            return true;
        },
        error);
    if (ok)
        pages = copy;
    return ok;
}

} // namespace leadkeeper
