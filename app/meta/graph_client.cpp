#include "graph_client.h"

#include "meta/meta_ids.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

// Meta ids are digits (letters, '_' and '-' are let through for test ids); nothing that could
// change the request path ("../", "?", "%") is.
bool isPathSafeId(const QString &id)
{
    return !id.isEmpty() && id.size() <= 64 && std::all_of(id.cbegin(), id.cend(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
               || (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
               || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_')
               || c == QLatin1Char('-');
    });
}

GraphError badId(const char *what, const QString &id)
{
    GraphError e;
    e.kind = GraphError::Kind::Permanent;
    e.message = QStringLiteral("the %1 \"%2\" is not a Meta id")
                    .arg(QLatin1String(what), id.left(40));
    return e;
}

void scrub(QString &text, const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets) {
        if (secret.size() >= 4) {
            text.replace(QString::fromUtf8(secret), QStringLiteral("[token]"));
            text.replace(QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(secret))),
                         QStringLiteral("[token]"));
        }
    }
}

void scrub(GraphError &e, const QList<QByteArray> &secrets)
{
    scrub(e.message, secrets);
    scrub(e.type, secrets);
    scrub(e.fbtraceId, secrets);
}

GraphError malformed(int status, const QByteArray &body, const Headers &headers, const QString &why)
{
    GraphError e = GraphError::classify(status, body, headers);
    e.message = QStringLiteral("Meta answered HTTP %1 but %2").arg(status).arg(why);
    return e;
}

std::optional<nlohmann::json> parseJson(const QByteArray &body, QString *why)
{
    try {
        return nlohmann::json::parse(body.constData(), body.constData() + body.size());
    } catch (const nlohmann::json::parse_error &e) {
        *why = QStringLiteral("the body is not valid JSON (byte %1 of %2)")
                   .arg(qulonglong(e.byte))
                   .arg(body.size());
    }
    return std::nullopt;
}

QByteArray dumpExact(const nlohmann::json &value)
{
    return QByteArray::fromStdString(
        value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString jsonString(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

bool isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString describeNetworkError(QNetworkReply::NetworkError error, const QString &host,
                             const QString &errorString)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused by %1").arg(host);
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("%1 closed the connection before answering").arg(host);
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host %1 not found").arg(host);
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("secure connection to %1 failed").arg(host);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("the network is not available");
    default:
        // errorString() may quote the URL, which may carry debug_token's input_token: the caller
        // scrubs tokens, and we keep only the part after the last " - ".
        return QStringLiteral("%1 (%2)").arg(errorString.section(QStringLiteral(" - "), -1), host);
    }
}

} // namespace

struct GraphClient::Answer
{
    int status = 0;
    QByteArray body;
    Headers headers;
    std::optional<GraphError> failure; ///< set when there is no complete HTTP answer
};

GraphClient::GraphClient(const QString &baseUrl, const QString &version, int timeoutMs)
    : m_base(QUrl(baseUrl.trimmed())), m_version(version.trimmed()),
      m_timeoutMs(timeoutMs > 0 ? timeoutMs : kDefaultTimeoutMs)
{
    m_pathPrefix = m_base.path();
    while (m_pathPrefix.endsWith(QLatin1Char('/')))
        m_pathPrefix.chop(1);
    m_base.setPath(QString());
    m_base.setQuery(QString());
    m_base.setFragment(QString());
}

GraphClient::~GraphClient() = default;

QString GraphClient::leadFields()
{
    return QStringLiteral("id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,"
                          "campaign_name,form_id,field_data,custom_disclaimer_responses,"
                          "is_organic,platform");
}

QNetworkAccessManager &GraphClient::nam()
{
    QThread *current = QThread::currentThread();
    Q_ASSERT_X(!m_nam || m_namThread == current, "GraphClient",
               "a GraphClient is used by one thread only");
    if (m_nam && m_namThread != current) {
        // Misuse in a release build: never touch another thread's manager; let it die there.
        m_nam.release()->deleteLater();
    }
    if (!m_nam) {
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_namThread = current;
        m_nam->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
        // A test or local proxy on loopback must not be sent through a system proxy.
        if (isLoopback(m_base.host()))
            m_nam->setProxy(QNetworkProxy::NoProxy);
    }
    return *m_nam;
}

QUrl GraphClient::endpoint(const QString &path, const QList<QPair<QString, QString>> &query) const
{
    QUrl url = m_base;
    QString full = m_pathPrefix;
    if (!m_version.isEmpty())
        full += QLatin1Char('/') + m_version;
    url.setPath(full + QLatin1Char('/') + path);
    QString encoded;
    for (const auto &[key, value] : query) {
        if (!encoded.isEmpty())
            encoded += QLatin1Char('&');
        encoded += key + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value, ","));
    }
    url.setQuery(encoded, QUrl::StrictMode);
    return url;
}

QUrl GraphClient::rebaseNext(const QString &next) const
{
    const QUrl link(next);
    if (!link.isValid() || link.path().isEmpty())
        return {};
    QUrl url = m_base;
    QString path = link.path();
    if (!m_pathPrefix.isEmpty() && !path.startsWith(m_pathPrefix + QLatin1Char('/')))
        path = m_pathPrefix + path;
    url.setPath(path);
    // Meta repeats access_token in paging links when it was given in the query; we never send it.
    QStringList kept;
    const QStringList items = link.query(QUrl::FullyEncoded).split(QLatin1Char('&'), Qt::SkipEmptyParts);
    for (const QString &item : items) {
        if (!item.startsWith(QLatin1String("access_token=")) && item != QLatin1String("access_token"))
            kept << item;
    }
    url.setQuery(kept.join(QLatin1Char('&')), QUrl::StrictMode);
    return url;
}

GraphClient::Answer GraphClient::get(const QUrl &url, const QByteArray &accessToken,
                                     const QList<QByteArray> &secrets)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + accessToken);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "Leadkeeper/" LEADKEEPER_VERSION);
    request.setTransferTimeout(m_timeoutMs);

    Answer answer;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    bool deadlinePassed = false;
    QNetworkReply *reply = nam().get(request);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&deadline, &QTimer::timeout, reply, [reply, &deadlinePassed] {
        deadlinePassed = true;
        reply->abort();
    });
    deadline.start(m_timeoutMs);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    deadline.stop();

    const QNetworkReply::NetworkError error = reply->error();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen()) // an aborted reply is closed
        answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    const QString errorString = reply->errorString();
    delete reply;

    // Only our deadline and the transfer timeout abort a reply.
    const bool timedOut = deadlinePassed || error == QNetworkReply::OperationCanceledError
                          || error == QNetworkReply::TimeoutError;
    if (timedOut) {
        answer.failure = GraphError::networkFailure(
            QStringLiteral("no complete answer from %1 within %2 s")
                .arg(m_base.host())
                .arg(m_timeoutMs / 1000.0, 0, 'g', 3),
            true);
    } else if (answer.status == 0 || (error > QNetworkReply::NoError && error < 200)) {
        // No HTTP answer, or the connection broke in the middle of one (network and proxy errors).
        answer.failure = GraphError::networkFailure(
            describeNetworkError(error, m_base.host(), errorString), false);
    }
    if (answer.failure)
        scrub(*answer.failure, secrets);
    return answer;
}

GraphResult<QByteArray> GraphClient::fetchLead(const QString &leadgenId, const QByteArray &accessToken)
{
    using Result = GraphResult<QByteArray>;
    if (!isPathSafeId(leadgenId))
        return Result::failure(badId("leadgen id", leadgenId));
    const QList<QByteArray> secrets{accessToken};
    Answer a = get(endpoint(leadgenId, {{QStringLiteral("fields"), leadFields()}}), accessToken, secrets);
    if (a.failure)
        return Result::failure(*a.failure);
    GraphError e;
    if (a.status < 200 || a.status >= 300) {
        e = GraphError::classify(a.status, a.body, a.headers);
    } else {
        QString why;
        const auto json = parseJson(a.body, &why);
        if (!json) {
            e = malformed(a.status, a.body, a.headers, why);
        } else if (json->is_object() && json->contains("error")) {
            e = GraphError::classify(a.status, a.body, a.headers);
        } else if (!json->is_object() || !json->contains("id")) {
            e = malformed(a.status, a.body, a.headers,
                          QStringLiteral("the body is not a lead (no \"id\")"));
        } else {
            return Result::success(a.body);
        }
    }
    scrub(e, secrets);
    return Result::failure(e);
}

GraphResult<QList<QByteArray>> GraphClient::fetchAllPages(QUrl url, const QByteArray &accessToken,
                                                          const char *what)
{
    using Result = GraphResult<QList<QByteArray>>;
    const QList<QByteArray> secrets{accessToken};
    QList<QByteArray> items;
    QSet<QString> seen;
    for (int page = 0; page < kMaxPages; ++page) {
        Answer a = get(url, accessToken, secrets);
        if (a.failure)
            return Result::failure(*a.failure);
        GraphError e;
        if (a.status < 200 || a.status >= 300) {
            e = GraphError::classify(a.status, a.body, a.headers);
            scrub(e, secrets);
            return Result::failure(e);
        }
        QString why;
        const auto json = parseJson(a.body, &why);
        if (json && json->is_object() && json->contains("error")) {
            e = GraphError::classify(a.status, a.body, a.headers);
            scrub(e, secrets);
            return Result::failure(e);
        }
        const nlohmann::json *data = nullptr;
        if (json && json->is_object()) {
            const auto it = json->find("data");
            if (it != json->end() && it->is_array())
                data = &*it;
        }
        if (!data) {
            e = malformed(a.status, a.body, a.headers,
                          why.isEmpty() ? QStringLiteral("the %1 page has no \"data\" list")
                                              .arg(QLatin1String(what))
                                        : why);
            scrub(e, secrets);
            return Result::failure(e);
        }
        for (const auto &item : *data)
            items << dumpExact(item);

        QString next;
        const auto paging = json->find("paging");
        if (paging != json->end() && paging->is_object())
            next = jsonString(*paging, "next");
        if (next.isEmpty() || data->empty())
            return Result::success(items);
        url = rebaseNext(next);
        if (url.isEmpty() || seen.contains(next)) {
            e = malformed(a.status, a.body, a.headers,
                          QStringLiteral("its paging link for the %1 is unusable or repeats")
                              .arg(QLatin1String(what)));
            scrub(e, secrets);
            return Result::failure(e);
        }
        seen.insert(next);
    }
    GraphError e = malformed(200, {}, {},
                             QStringLiteral("the %1 did not end after %2 pages")
                                 .arg(QLatin1String(what))
                                 .arg(kMaxPages));
    return Result::failure(e);
}

GraphResult<QList<GraphForm>> GraphClient::fetchForms(const QString &pageId, const QByteArray &accessToken)
{
    using Result = GraphResult<QList<GraphForm>>;
    if (!isPathSafeId(pageId))
        return Result::failure(badId("page id", pageId));
    const QUrl url = endpoint(pageId + QStringLiteral("/leadgen_forms"),
                              {{QStringLiteral("fields"), QStringLiteral("id,name,status,questions")}});
    auto pages = fetchAllPages(url, accessToken, "lead forms");
    if (!pages.ok())
        return Result::failure(*pages.error);
    QList<GraphForm> forms;
    for (const QByteArray &text : *pages.value) {
        const auto form = nlohmann::json::parse(text.constData(), text.constData() + text.size(),
                                                nullptr, false);
        if (!form.is_object())
            continue;
        GraphForm f;
        QString idError;
        const auto idIt = form.find("id");
        f.id = meta_ids::exactId(idIt == form.end() ? nullptr : &*idIt, "form id", &idError)
                   .value_or(QString());
        f.name = jsonString(form, "name");
        f.status = jsonString(form, "status");
        const auto questions = form.find("questions");
        if (questions != form.end() && questions->is_array()) {
            for (const auto &q : *questions) {
                if (q.is_object())
                    f.questions << GraphQuestion{jsonString(q, "key"), jsonString(q, "label"),
                                                 jsonString(q, "type")};
            }
        }
        forms << f;
    }
    return Result::success(forms);
}

GraphResult<QList<QByteArray>> GraphClient::fetchFormLeads(const QString &formId,
                                                           const QByteArray &accessToken,
                                                           std::optional<qint64> sinceMs)
{
    using Result = GraphResult<QList<QByteArray>>;
    if (!isPathSafeId(formId))
        return Result::failure(badId("form id", formId));
    QList<QPair<QString, QString>> query{{QStringLiteral("fields"), leadFields()}};
    if (sinceMs) {
        const qint64 seconds = (*sinceMs >= 0 ? *sinceMs / 1000 : (*sinceMs - 999) / 1000) - 1;
        nlohmann::json filter = nlohmann::json::array(
            {{{"field", "time_created"}, {"operator", "GREATER_THAN"}, {"value", seconds}}});
        query.append({QStringLiteral("filtering"), QString::fromStdString(filter.dump())});
    }
    return fetchAllPages(endpoint(formId + QStringLiteral("/leads"), query), accessToken, "form leads");
}

GraphResult<TokenInfo> GraphClient::debugToken(const QByteArray &inputToken, const QByteArray &accessToken)
{
    using Result = GraphResult<TokenInfo>;
    const QList<QByteArray> secrets{accessToken, inputToken};
    // The one URL that carries a token: it is never logged, and no error text quotes it.
    const QUrl url = endpoint(QStringLiteral("debug_token"),
                              {{QStringLiteral("input_token"), QString::fromUtf8(inputToken)}});
    Answer a = get(url, accessToken, secrets);
    if (a.failure)
        return Result::failure(*a.failure);
    GraphError e;
    QString why;
    const auto json = a.status >= 200 && a.status < 300 ? parseJson(a.body, &why) : std::nullopt;
    if (a.status < 200 || a.status >= 300 || (json && json->is_object() && json->contains("error"))) {
        e = GraphError::classify(a.status, a.body, a.headers);
    } else if (!json || !json->is_object() || !json->contains("data") || !(*json)["data"].is_object()) {
        e = malformed(a.status, a.body, a.headers,
                      why.isEmpty() ? QStringLiteral("the debug_token answer has no \"data\"") : why);
    } else {
        const nlohmann::json &data = (*json)["data"];
        TokenInfo info;
        const auto valid = data.find("is_valid");
        info.valid = valid != data.end() && valid->is_boolean() && valid->get<bool>();
        const auto expires = data.find("expires_at");
        if (expires != data.end() && expires->is_number_integer() && expires->get<std::int64_t>() > 0)
            info.expiresAtMs = expires->get<std::int64_t>() * 1000;
        const auto scopes = data.find("scopes");
        if (scopes != data.end() && scopes->is_array()) {
            for (const auto &s : *scopes) {
                if (s.is_string())
                    info.scopes << QString::fromStdString(s.get<std::string>());
            }
        }
        QString idError;
        const auto app = data.find("app_id");
        info.appId = meta_ids::exactId(app == data.end() ? nullptr : &*app, "app id", &idError)
                         .value_or(QString());
        info.type = jsonString(data, "type");
        const auto err = data.find("error");
        if (err != data.end() && err->is_object())
            info.error = jsonString(*err, "message");
        scrub(info.error, secrets);
        return Result::success(info);
    }
    scrub(e, secrets);
    return Result::failure(e);
}

} // namespace leadkeeper
