#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QTcpServer;

namespace leadkeeper {

/**
 * A local STAND-IN for Meta's Graph API, for trying Leadkeeper out without a Meta app
 * (`leadkeeper try-meta`). It is never a source of real leads: every lead it returns is made up.
 *
 * It answers exactly what GraphClient asks, in Meta's wire format (DESIGN.md §6):
 *  - GET /{version}/{leadgen_id}?fields=... : a lead (id, created_time "2025-11-22T08:26:40+0000"
 *    as in the README's sample webhooks, form_id, ad, ad set and campaign ids and names, platform,
 *    is_organic, field_data with full_name, email, phone_number and city), only the fields asked
 *    for. The same leadgen id always gives the same
 *    lead. The end of the id chooses what the user tries out:
 *      …99 → the phone number is invalid (kInvalidPhone): processing ends in Error;
 *      …8  → the lead belongs to the second form (kSecondFormId);
 *      else → a valid lead of the first form (kFirstFormId). The README's sample webhook's id,
 *             1234567890123456789, is one of these.
 *  - GET /{version}/{page_id}/leadgen_forms : two ACTIVE forms with the standard questions, for
 *    any page id.
 *  - GET /{version}/debug_token?input_token=... : a valid PAGE token with the permissions
 *    Leadkeeper needs, expiring 60 days from now.
 *  Any access token is accepted; a request without one, another method, or another path gets
 *  Graph's error body {"error":{"message","type","code","error_subcode","fbtrace_id"}} with
 *  HTTP 400 (code 104 without a token, 100 otherwise).
 *
 * Every request is answered synchronously in the thread that owns the server (DESIGN.md §9).
 * No token is ever written to a log line or an answer.
 */
class TryMetaServer : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 kDefaultPort = 8788;
    static inline const QString kFirstFormId = QStringLiteral("5647382910564738");
    static inline const QString kFirstFormName = QStringLiteral("Roof quote");
    static inline const QString kSecondFormId = QStringLiteral("5647382910565012");
    static inline const QString kSecondFormName = QStringLiteral("Gutter cleaning");
    static inline const QString kInvalidPhone = QStringLiteral("12345");

    /// One answer: what the server sends, and a line for the console (never a token).
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers; ///< besides Content-Type and Content-Length
        QString note;
    };

    explicit TryMetaServer(QObject *parent = nullptr);
    ~TryMetaServer() override;

    /// Starts listening (port 0 picks a free one). On failure *error says why.
    bool listen(const QHostAddress &host, quint16 port, QString *error);
    quint16 port() const;
    /// The Graph API URL to give Leadkeeper, e.g. "http://127.0.0.1:8788" (a wildcard address is
    /// shown as 127.0.0.1).
    QString baseUrl() const;

    /// The answer to one request, without any network.
    static Answer answer(const QByteArray &method, const QUrl &url, const QByteArray &authorization);
    /// The lead the stand-in returns for `leadgenId` (every field), as JSON text.
    static QByteArray leadJson(const QString &leadgenId);

Q_SIGNALS:
    /// After each answer: "GET /v24.0/123… → 200 lead: …" (the path only: the query may carry a
    /// token).
    void answered(const QString &line);

private:
    Answer respond(const QHttpServerRequest &request);

    std::unique_ptr<QHttpServer> m_http;
    QTcpServer *m_tcp = nullptr; // owned by m_http once bound
    QHostAddress m_host;
};

} // namespace leadkeeper
