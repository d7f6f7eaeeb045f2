#pragma once

#include "meta/graph_error.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QThread;

namespace leadkeeper {

/// A value, or the GraphError that prevented it. Exactly one of the two is set.
template <typename T>
struct GraphResult
{
    std::optional<T> value;
    std::optional<GraphError> error;

    bool ok() const { return value.has_value() && !error.has_value(); }

    static GraphResult success(T v) { return GraphResult{std::move(v), std::nullopt}; }
    static GraphResult failure(GraphError e) { return GraphResult{std::nullopt, std::move(e)}; }
};

/// One question of a lead form, as /{page_id}/leadgen_forms lists it.
struct GraphQuestion
{
    QString key;   ///< the field_data name, e.g. "full_name" or a custom question's key
    QString label; ///< what the person filling the form saw
    QString type;  ///< e.g. "FULL_NAME", "PHONE", "EMAIL", "CUSTOM"
};

/// One lead form of a page.
struct GraphForm
{
    QString id; ///< exact digits
    QString name;
    QString status; ///< "ACTIVE", "ARCHIVED", ...
    QList<GraphQuestion> questions;
};

/// What /debug_token says about a token.
struct TokenInfo
{
    bool valid = false;
    std::optional<qint64> expiresAtMs; ///< absent when the token never expires
    QStringList scopes;                ///< granted permissions, e.g. "leads_retrieval"
    QString appId;
    QString type;  ///< "PAGE", "USER", "APP", ...
    QString error; ///< Meta's reason when the token is not valid
};

/**
 * The one HTTP client path to Meta's Graph API (DESIGN.md §5 step 3, §6).
 *
 * Guarantees:
 *  - Every method BLOCKS until Meta answers, the timeout passes, or the connection fails: it runs
 *    a local QEventLoop around one QNetworkReply at a time. Call it from worker threads only,
 *    NEVER from the GUI thread (DESIGN.md §7: the GUI thread never waits on the network). While
 *    it waits, the local loop also delivers the calling thread's other queued events.
 *  - A GraphClient is used by one thread only. It owns its QNetworkAccessManager, created on the
 *    first call in the calling thread; construct one client per worker thread.
 *  - The access token travels only in an "Authorization: Bearer" header, never in a URL, and only
 *    to the configured host (paging links are re-rooted onto the base URL and stripped of any
 *    access_token). debug_token's input_token must be a query parameter: that URL is never logged.
 *    No GraphError text contains a token given to the call.
 *  - Ids are strings end to end (nlohmann/json keeps integers exact; nothing goes through double);
 *    fetchLead returns Meta's bytes unchanged.
 *  - Each request has a transfer timeout and an overall deadline of timeoutMs; a timeout is a
 *    transient GraphError with network and timedOut set. A 2xx whose body is not the expected JSON
 *    is transient (a Meta glitch); everything else is classified by GraphError::classify.
 */
class GraphClient
{
public:
    static constexpr int kDefaultTimeoutMs = 20000;
    /// Pages followed at most by the paging calls (a loop guard, far above real form counts).
    static constexpr int kMaxPages = 10000;

    /// `baseUrl` e.g. "https://graph.facebook.com" (a path prefix is kept), `version` e.g. "v24.0"
    /// (empty: unversioned paths).
    GraphClient(const QString &baseUrl, const QString &version, int timeoutMs = kDefaultTimeoutMs);
    ~GraphClient();
    GraphClient(const GraphClient &) = delete;
    GraphClient &operator=(const GraphClient &) = delete;

    QUrl baseUrl() const { return m_base; }
    QString version() const { return m_version; }
    int timeoutMs() const { return m_timeoutMs; }

    /// The `fields` the lead calls ask for.
    static QString leadFields();

    /// GET /{leadgen_id}?fields=...: the lead's JSON text exactly as Meta sent it.
    GraphResult<QByteArray> fetchLead(const QString &leadgenId, const QByteArray &accessToken);

    /// GET /{page_id}/leadgen_forms?fields=id,name,status,questions, every page of it.
    GraphResult<QList<GraphForm>> fetchForms(const QString &pageId, const QByteArray &accessToken);

    /// GET /{form_id}/leads, every page of it; one JSON text per lead. With `sinceMs`, only leads
    /// created in or after that second (Meta filters time_created GREATER_THAN in whole seconds;
    /// we ask from one second earlier so no lead is missed: callers dedupe by leadgen id).
    GraphResult<QList<QByteArray>> fetchFormLeads(const QString &formId, const QByteArray &accessToken,
                                                  std::optional<qint64> sinceMs);

    /// GET /debug_token?input_token=...: what Meta knows about `inputToken`. `accessToken` is an
    /// app token ("app_id|app_secret") or a token of the same app.
    GraphResult<TokenInfo> debugToken(const QByteArray &inputToken, const QByteArray &accessToken);

private:
    struct Answer;
    Answer get(const QUrl &url, const QByteArray &accessToken, const QList<QByteArray> &secrets);
    QUrl endpoint(const QString &path, const QList<QPair<QString, QString>> &query) const;
    QUrl rebaseNext(const QString &next) const;
    GraphResult<QList<QByteArray>> fetchAllPages(QUrl url, const QByteArray &accessToken,
                                                 const char *what);
    QNetworkAccessManager &nam();

    QUrl m_base;
    QString m_pathPrefix;
    QString m_version;
    int m_timeoutMs;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QThread *m_namThread = nullptr;
};

} // namespace leadkeeper
