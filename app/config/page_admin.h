#pragma once

#include "config/page_config.h"
#include "config/secret_store.h"
#include "meta/graph_client.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace leadkeeper {

/// Where the page administration reads and writes: the store, the secrets and Meta.
struct PageAdminContext
{
    QString databasePath;
    SecretStore::Options secrets;
    QString graphUrl = QStringLiteral("https://graph.facebook.com");
    QString graphVersion = QStringLiteral("v24.0");
    int graphTimeoutMs = GraphClient::kDefaultTimeoutMs;
};

/// A page as the editors show it: its config, its stored form mappings, the forms Meta listed at
/// its last fetch, and what is known of its token.
struct PageOverview
{
    PageConfig page;
    QList<FormMapping> forms;      ///< the mapped forms: what the pipeline uses
    QList<GraphForm> fetchedForms; ///< what Meta listed at the page's last fetch, mapped or not
    QHash<QString, int> unconfiguredByForm; ///< the page's Unconfigured leads, per form id
    bool tokenSet = false;
    QString tokenHint; ///< "set (ends …a1b2)", "not set", or why it cannot be read
};

/// What "Test token" found out.
struct TokenCheck
{
    QString error;              ///< the check itself failed (no token, Meta unreachable)
    TokenInfo info;             ///< valid only when error is empty
    QStringList missingScopes;  ///< required permissions the token lacks
};

/**
 * The admin's operations on pages and forms (DESIGN.md §1), as blocking calls for worker threads:
 * each opens its own Database, SecretStore and GraphClient in the calling thread and closes them
 * before returning. NEVER call them on the GUI thread (DESIGN.md §7); the editors run them through
 * QtConcurrent. Every result carries a sentence for the admin instead of throwing or logging, and
 * no result or sentence ever contains a token (only its last four characters, in tokenHint()).
 */
class PageAdmin
{
public:
    /// Permissions a page token needs to read leads (Meta's names).
    static QStringList requiredScopes();
    /// "set (ends …a1b2)"; tokens of 8 characters or fewer show no characters at all.
    static QString tokenHint(const QString &token);

    /// Every page with its form mappings, its fetched forms and its token hint.
    static QList<PageOverview> loadPages(const PageAdminContext &context, QString *error);

    /// Validates and saves the page; stores `newToken` in the secret store when it is not empty
    /// (the page is saved first, so a token never exists for a page that could not be saved).
    /// Returns the page as stored with its forms and token hint; nullopt with *error on failure.
    static std::optional<PageOverview> savePage(const PageAdminContext &context, PageConfig page,
                                                const QString &newToken, QString *error);

    static bool setPageEnabled(const PageAdminContext &context, const QString &pageId, bool enabled,
                               QString *error);

    /// Saves the form with its mapping rows (ConfigStore validates; nothing changes on failure).
    static std::optional<FormMapping> saveForm(const PageAdminContext &context, FormMapping form,
                                               QString *error);

    /// The page's forms as Meta lists them. Uses `typedToken` when not empty, else the stored one.
    /// The answer is kept as the page's fetched forms (FetchedFormStore::replace(): Meta's list
    /// replaces the previous one; no form mapping is written), so loadPages() returns it after a
    /// restart. `page` must be stored (page.id). On failure, from Meta or the store: an empty list
    /// with *error, and the kept list unchanged.
    static QList<GraphForm> fetchForms(const PageAdminContext &context, const PageConfig &page,
                                       const QString &typedToken, QString *error);

    /// Asks Meta's debug_token about the typed token, else the stored one (the token inspects
    /// itself, so no app token is needed).
    static TokenCheck testToken(const PageAdminContext &context, const PageConfig &page,
                                const QString &typedToken);

    /// Unconfigured and Disabled leads of the page (of one form when formId is set) that the
    /// stored configuration would now process: the page enabled, their form mapped and enabled.
    static int processableWaiting(const PageAdminContext &context, const QString &pageId,
                                  const QString &formId, QString *error);

private:
    static std::optional<QString> storedToken(const PageAdminContext &context, const PageConfig &page,
                                              QString *error);
};

} // namespace leadkeeper
