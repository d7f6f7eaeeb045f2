#include "page_admin.h"

#include "config/config_store.h"
#include "config/fetched_form_store.h"
#include "store/database.h"
#include "store/sql_values.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace leadkeeper {

namespace {

// The page's Unconfigured leads per form (read through the status index: they are few).
QHash<QString, int> unconfiguredByForm(QSqlDatabase db, const QString &pageId)
{
    QHash<QString, int> counts;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT form_id, COUNT(*) FROM lead_log WHERE status = 'unconfigured' "
                             "AND +page_id = ? GROUP BY form_id"));
    q.addBindValue(pageId);
    if (q.exec())
        while (q.next())
            counts.insert(q.value(0).toString(), q.value(1).toInt());
    return counts;
}

// A sentence about a failed admin call to Meta (GraphError::staffMessage speaks about leads).
QString describeGraphFailure(const GraphError &e, const QString &what)
{
    if (e.network && e.timedOut)
        return QStringLiteral("Meta did not answer in time while Leadkeeper %1. Try again in a "
                              "moment.")
            .arg(what);
    if (e.network)
        return QStringLiteral("Leadkeeper could not reach Meta while it %1 (%2). Check the internet "
                              "connection and the Graph API address in Settings.")
            .arg(what, e.message);
    if (e.code == 190)
        return QStringLiteral("Meta does not accept this page's access token (Meta error %1): %2 "
                              "Enter a new token for the page.")
            .arg(e.codeText(), e.message);
    const QString code = e.codeText().isEmpty() ? QStringLiteral("HTTP %1").arg(e.httpStatus)
                                                : QStringLiteral("Meta error %1").arg(e.codeText());
    return QStringLiteral("Meta refused while Leadkeeper %1 (%2): %3").arg(what, code, e.message);
}

} // namespace

QStringList PageAdmin::requiredScopes()
{
    return {QStringLiteral("leads_retrieval"), QStringLiteral("pages_manage_metadata"),
            QStringLiteral("pages_show_list"), QStringLiteral("pages_read_engagement"),
            QStringLiteral("pages_manage_ads")};
}

QString PageAdmin::tokenHint(const QString &token)
{
    if (token.isEmpty())
        return QStringLiteral("not set");
    if (token.size() <= 8)
        return QStringLiteral("set");
    return QStringLiteral("set (ends …%1)").arg(token.right(4));
}

std::optional<QString> PageAdmin::storedToken(const PageAdminContext &context,
                                              const PageConfig &page, QString *error)
{
    SecretStore secrets(context.secrets);
    const QString ref = page.tokenRef.isEmpty() ? ConfigStore::defaultTokenRef(page.pageId)
                                                : page.tokenRef;
    QString secretError;
    auto token = secrets.token(ref, &secretError);
    if (!secretError.isEmpty()) {
        setError(error, QStringLiteral("The access token cannot be read: %1").arg(secretError));
        return std::nullopt;
    }
    return token.value_or(QString());
}

QList<PageOverview> PageAdmin::loadPages(const PageAdminContext &context, QString *error)
{
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return {};
    ConfigStore config(db->sql());
    FetchedFormStore fetched(db->sql());
    QString readError;
    const QList<PageConfig> pages = config.listPages(&readError);
    if (!readError.isEmpty()) {
        setError(error, readError);
        return {};
    }
    QList<PageOverview> out;
    for (const PageConfig &page : pages) {
        PageOverview o;
        o.page = page;
        o.forms = config.forms(page.id, &readError);
        if (readError.isEmpty())
            o.fetchedForms = fetched.forms(page.id, &readError);
        o.unconfiguredByForm = unconfiguredByForm(db->sql(), page.pageId);
        if (!readError.isEmpty()) {
            setError(error, readError);
            return {};
        }
        QString tokenError;
        const auto token = storedToken(context, page, &tokenError);
        o.tokenSet = token && !token->isEmpty();
        o.tokenHint = token ? tokenHint(*token) : tokenError;
        out.append(o);
    }
    return out;
}

std::optional<PageOverview> PageAdmin::savePage(const PageAdminContext &context, PageConfig page,
                                                const QString &newToken, QString *error)
{
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return std::nullopt;
    ConfigStore config(db->sql());
    if (!config.savePage(page, error))
        return std::nullopt;
    PageOverview o;
    o.page = page;
    if (!newToken.trimmed().isEmpty()) {
        SecretStore secrets(context.secrets);
        QString secretError;
        if (!secrets.setToken(page.tokenRef, newToken.trimmed(), &secretError)) {
            setError(error, QStringLiteral("The page was saved, but its access token could not be "
                                           "stored: %1")
                                .arg(secretError));
            return std::nullopt;
        }
    }
    QString readError;
    o.forms = config.forms(page.id, &readError);
    o.fetchedForms = FetchedFormStore(db->sql()).forms(page.id, &readError);
    o.unconfiguredByForm = unconfiguredByForm(db->sql(), page.pageId);
    const auto token = storedToken(context, page, &readError);
    o.tokenSet = token && !token->isEmpty();
    o.tokenHint = token ? tokenHint(*token) : readError;
    return o;
}

bool PageAdmin::setPageEnabled(const PageAdminContext &context, const QString &pageId, bool enabled,
                               QString *error)
{
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return false;
    return ConfigStore(db->sql()).setPageEnabled(pageId, enabled, error);
}

std::optional<FormMapping> PageAdmin::saveForm(const PageAdminContext &context, FormMapping form,
                                               QString *error)
{
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return std::nullopt;
    if (!ConfigStore(db->sql()).saveForm(form, error))
        return std::nullopt;
    return form;
}

QList<GraphForm> PageAdmin::fetchForms(const PageAdminContext &context, const PageConfig &page,
                                       const QString &typedToken, QString *error)
{
    QString token = typedToken.trimmed();
    if (token.isEmpty()) {
        const auto stored = storedToken(context, page, error);
        if (!stored)
            return {};
        token = *stored;
    }
    if (token.isEmpty()) {
        setError(error, QStringLiteral("Page %1 has no access token yet. Enter the page access "
                                       "token first.")
                            .arg(page.name.isEmpty() ? page.pageId : page.name));
        return {};
    }
    GraphClient client(context.graphUrl, context.graphVersion, context.graphTimeoutMs);
    auto result = client.fetchForms(page.pageId, token.toUtf8());
    if (!result.ok()) {
        setError(error, describeGraphFailure(*result.error, QStringLiteral("fetched the lead forms")));
        return {};
    }
    // Opened only now: no connection is held while Meta is asked.
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return {};
    if (!FetchedFormStore(db->sql()).replace(page.id, *result.value,
                                             QDateTime::currentMSecsSinceEpoch(), error))
        return {};
    return *result.value;
}

TokenCheck PageAdmin::testToken(const PageAdminContext &context, const PageConfig &page,
                                const QString &typedToken)
{
    TokenCheck check;
    QString token = typedToken.trimmed();
    if (token.isEmpty()) {
        const auto stored = storedToken(context, page, &check.error);
        if (!stored)
            return check;
        token = *stored;
    }
    if (token.isEmpty()) {
        check.error = QStringLiteral("There is no token to test yet. Enter the page access token.");
        return check;
    }
    GraphClient client(context.graphUrl, context.graphVersion, context.graphTimeoutMs);
    auto result = client.debugToken(token.toUtf8(), token.toUtf8());
    if (!result.ok()) {
        check.error = describeGraphFailure(*result.error, QStringLiteral("tested the token"));
        return check;
    }
    check.info = *result.value;
    for (const QString &scope : requiredScopes())
        if (!check.info.scopes.contains(scope))
            check.missingScopes.append(scope);
    return check;
}

int PageAdmin::processableWaiting(const PageAdminContext &context, const QString &pageId,
                                  const QString &formId, QString *error)
{
    auto db = Database::open(context.databasePath, error);
    if (!db)
        return 0;
    QSqlQuery q(db->sql());
    q.setForwardOnly(true);
    QString sql = QStringLiteral(
        "SELECT COUNT(*) FROM lead_log l "
        "JOIN page_configs p ON p.page_id = l.page_id AND p.enabled = 1 "
        "JOIN form_mappings f ON f.page_config_id = p.id AND f.form_id = l.form_id "
        "  AND f.enabled = 1 "
        "WHERE l.status IN ('unconfigured', 'disabled') AND l.page_id = ?");
    if (!formId.isEmpty())
        sql += QStringLiteral(" AND l.form_id = ?");
    q.prepare(sql);
    q.addBindValue(pageId);
    if (!formId.isEmpty())
        q.addBindValue(formId);
    if (!q.exec() || !q.next()) {
        setError(error, QStringLiteral("Waiting leads cannot be counted: %1").arg(q.lastError().text()));
        return 0;
    }
    const int n = q.value(0).toInt();
    q.finish();
    return n;
}

} // namespace leadkeeper
