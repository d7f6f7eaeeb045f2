#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * One failed Graph API call, classified the way the processing pipeline needs it (DESIGN.md §5):
 *
 *  - Transient: network failures, timeouts, HTTP 5xx without a Graph code, a 2xx whose body is not
 *    readable JSON, and Graph codes 1, 2, 4, 17, 32, 341, 613 and 80000–80014 (rate limits).
 *    The lead stays Pending and is retried.
 *  - Permanent: every other Graph code (190 token, 100 not found / no lead access, 10 and 200–299
 *    permissions, anything unknown), and non-5xx HTTP errors without a readable Graph code.
 *
 * The Graph `code` in the error body decides, never the HTTP status; the status decides only when
 * the body carries no code. A GraphError never holds an access token: GraphClient removes the
 * tokens it used from Meta's message before building one.
 */
struct GraphError
{
    enum class Kind { Transient, Permanent };

    Kind kind = Kind::Permanent;
    int httpStatus = 0; ///< 0 when no HTTP answer arrived
    int code = 0;       ///< Graph error code; 0 when Meta sent none
    int subcode = 0;    ///< Graph error_subcode; 0 when absent
    QString type;       ///< e.g. "OAuthException", "GraphMethodException"
    QString message;    ///< Meta's message, or ours when Meta sent none
    QString fbtraceId;  ///< quote it to Meta support
    bool network = false;  ///< no HTTP answer (refused, reset, DNS, TLS, timeout)
    bool timedOut = false; ///< no (complete) answer within the client's timeout
    /// When Meta says when calls will be allowed again (X-Business-Use-Case-Usage,
    /// X-App-Usage, X-Ad-Account-Usage, Retry-After): the longest announced wait, in ms.
    /// Absent when no header announces a wait longer than zero.
    std::optional<qint64> retryAfterMs;

    bool isTransient() const { return kind == Kind::Transient; }

    /// Classifies an HTTP answer that was not a success (or a success with an unreadable body:
    /// pass it here with its 2xx status and it is classified transient).
    static GraphError classify(int httpStatus, const QByteArray &body,
                               const QList<QPair<QByteArray, QByteArray>> &headers);
    /// No HTTP answer: `what` says why in a few words ("connection refused by graph.facebook.com").
    static GraphError networkFailure(const QString &what, bool timedOut);
    /// Whether a Graph error code is one Meta asks us to retry.
    static bool isTransientCode(int code);
    /// The longest wait announced by Meta's usage headers or Retry-After, in ms (> 0), if any.
    static std::optional<qint64> retryAfterFromHeaders(
        const QList<QPair<QByteArray, QByteArray>> &headers);

    /// "190/463", "100", or empty when Meta sent no code.
    QString codeText() const;
    /// One sentence a marketing person can act on; never contains a token.
    QString staffMessage(const QString &pageName, const QString &leadgenId) const;
    /// The technical record for a lead's history: kind, code, type, HTTP status, Meta's message,
    /// fbtrace_id and any announced wait.
    QString historyText() const;
};

} // namespace leadkeeper
