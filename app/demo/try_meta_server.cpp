#include "try_meta_server.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QUrlQuery>

#include <nlohmann/json.hpp>

#include <iterator>

namespace leadkeeper {

namespace {

using ojson = nlohmann::ordered_json; // Meta's field order, for realism
using Answer = TryMetaServer::Answer;

// Every made-up lead was submitted when the README's sample webhooks say (the stand-in never
// sees the webhook, and Meta's lead and webhook agree on it).
constexpr qint64 kCreatedSec = 1763800000;
constexpr qint64 kTokenLifetimeSec = 60 * 86400;

const char *const kFirstNames[] = {"Maria", "James",  "Aisha", "Lukas", "Sofia",  "Daniel",
                                   "Priya", "Mateo",  "Emma",  "Noah",  "Grace",  "Omar",
                                   "Hannah", "Diego", "Chloe", "Samuel"};
const char *const kLastNames[] = {"Jensen", "Okafor",  "Rossi",  "Nguyen", "Schneider", "Garcia",
                                  "Patel",  "Kowalski", "Murphy", "Silva",  "Andersen",  "Cohen",
                                  "Fischer", "Moreau",  "Tanaka", "Walsh"};
struct City
{
    const char *name;
    const char *areaCode;
};
const City kCities[] = {{"Austin", "512"},   {"Denver", "303"},    {"Seattle", "206"},
                        {"Portland", "503"}, {"Boston", "617"},    {"Chicago", "312"},
                        {"Phoenix", "602"},  {"Atlanta", "404"},   {"Miami", "305"},
                        {"San Diego", "619"}, {"Nashville", "615"}, {"Columbus", "614"}};
const char *const kEmailDomains[] = {"example.com", "example.net", "example.org"};

/// The ad that brought a form's leads (19-digit ids: a trip through a double would change them).
struct Ad
{
    const QString &formId;
    const QString &formName;
    const char *adId, *adName, *adsetId, *adsetName, *campaignId, *campaignName;
};
const Ad kFirstAd{TryMetaServer::kFirstFormId, TryMetaServer::kFirstFormName,
                  "6120000000000000001", "Free roof check video",
                  "6120000000000000002", "Homeowners 35-65",
                  "6120000000000000003", "Roof quotes autumn 2025"};
const Ad kSecondAd{TryMetaServer::kSecondFormId, TryMetaServer::kSecondFormName,
                   "6120000000000000011", "Gutter cleaning carousel",
                   "6120000000000000012", "Homeowners 30-70",
                   "6120000000000000013", "Gutter cleaning 2025"};

struct Question
{
    const char *key, *label, *type;
};
const Question kQuestions[] = {{"full_name", "Full name", "FULL_NAME"},
                               {"email", "Email", "EMAIL"},
                               {"phone_number", "Phone number", "PHONE"},
                               {"city", "City", "CITY"}};

// Meta's Lead and LeadgenForm fields: asking for another one is Graph's error 100.
const QStringList kLeadFields{
    QStringLiteral("ad_id"), QStringLiteral("ad_name"), QStringLiteral("adset_id"),
    QStringLiteral("adset_name"), QStringLiteral("campaign_id"), QStringLiteral("campaign_name"),
    QStringLiteral("created_time"), QStringLiteral("custom_disclaimer_responses"),
    QStringLiteral("field_data"), QStringLiteral("form_id"), QStringLiteral("home_listing"),
    QStringLiteral("id"), QStringLiteral("is_organic"), QStringLiteral("partner_name"),
    QStringLiteral("platform"), QStringLiteral("post"), QStringLiteral("retailer_item_id"),
    QStringLiteral("vehicle")};
const QStringList kFormFields{QStringLiteral("id"), QStringLiteral("locale"),
                              QStringLiteral("name"), QStringLiteral("status"),
                              QStringLiteral("questions"), QStringLiteral("created_time"),
                              QStringLiteral("leads_count")};

// FNV-1a, then splitmix64's finaliser so neighbouring ids land far apart in the lists.
quint64 seedOf(const QString &id)
{
    quint64 h = 1469598103934665603ULL;
    for (const char c : id.toUtf8()) {
        h ^= uchar(c);
        h *= 1099511628211ULL;
    }
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

template <typename T, std::size_t N>
const T &pick(const T (&list)[N], quint64 seed, int shift)
{
    return list[(seed >> shift) % N];
}

bool isDigits(const QString &s)
{
    return !s.isEmpty() && s.size() <= 25
           && std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.isDigit(); });
}

QByteArray dump(const ojson &j)
{
    return QByteArray::fromStdString(j.dump(-1, ' ', false, ojson::error_handler_t::replace));
}

Answer graphError(int code, int subcode, const QString &message,
                  const char *type = "OAuthException")
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
    std::string trace;
    for (int i = 0; i < 11; ++i)
        trace += alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))];
    ojson error;
    error["message"] = message.toStdString();
    error["type"] = type;
    error["code"] = code;
    if (subcode != 0)
        error["error_subcode"] = subcode;
    error["fbtrace_id"] = trace;
    Answer a;
    a.status = 400;
    a.body = dump(ojson{{"error", error}});
    a.headers.append(qMakePair(QByteArray("x-fb-trace-id"), QByteArray::fromStdString(trace)));
    if (code == 104 || code == 190)
        a.headers.append(qMakePair(QByteArray("WWW-Authenticate"),
                                   "OAuth \"Facebook Platform\" \"invalid_token\" \""
                                       + message.toUtf8() + '"'));
    a.note = QStringLiteral("error %1: %2").arg(code).arg(message.left(120));
    return a;
}

Answer unknownPath(const QString &path)
{
    return graphError(100, 0,
                      QStringLiteral("Unknown path %1. This is Leadkeeper's try-meta stand-in for "
                                     "the Graph API: it answers GET /{leadgen_id}, "
                                     "/{page_id}/leadgen_forms and /debug_token.")
                          .arg(path),
                      "GraphMethodException");
}

Answer notFound(const QString &id)
{
    return graphError(100, 33,
                      QStringLiteral("Unsupported get request. Object with ID '%1' does not exist, "
                                     "cannot be loaded due to missing permissions, or does not "
                                     "support this operation.")
                          .arg(id.left(40)),
                      "GraphMethodException");
}

/// Keeps the fields of `full` that `fieldsParam` asks for (Graph's `fields`), in the order asked;
/// `defaults` when nothing is asked. An unknown field is Graph's error 100.
std::optional<Answer> select(const ojson &full, const QString &fieldsParam,
                             const QStringList &known, const QStringList &defaults,
                             const char *nodeType, ojson *out)
{
    QStringList wanted = fieldsParam.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &f : wanted)
        f = f.section(QLatin1Char('{'), 0, 0).trimmed(); // "field_data{name}" asks for field_data
    if (wanted.isEmpty())
        wanted = defaults;
    *out = ojson::object();
    if (!wanted.contains(QLatin1String("id")))
        (*out)["id"] = full["id"]; // Graph always answers with the id
    for (const QString &f : std::as_const(wanted)) {
        if (!known.contains(f))
            return graphError(100, 0, QStringLiteral("(#100) Tried accessing nonexisting field "
                                                     "(%1) on node type (%2)")
                                          .arg(f.left(60), QLatin1String(nodeType)));
        const auto it = full.find(f.toStdString());
        if (it != full.end()) // a field with no value is left out, as Meta does
            (*out)[f.toStdString()] = *it;
    }
    return std::nullopt;
}

ojson fullLead(const QString &leadgenId, QString *note)
{
    const quint64 seed = seedOf(leadgenId);
    const QChar last = leadgenId.back();
    const Ad &ad = last == QLatin1Char('8') ? kSecondAd : kFirstAd;
    const QString first = QLatin1String(pick(kFirstNames, seed, 0));
    const QString family = QLatin1String(pick(kLastNames, seed, 8));
    const City &city = pick(kCities, seed, 16);
    // 555-0100 to 555-0199 are reserved for fiction in North America: nobody real is ever called.
    const QString area = QLatin1String(city.areaCode);
    const QString line = QStringLiteral("01%1").arg((seed >> 24) % 100, 2, 10, QLatin1Char('0'));
    QString phone;
    switch ((seed >> 32) % 4) {
    case 0: phone = QStringLiteral("+1 %1-555-%2").arg(area, line); break;
    case 1: phone = QStringLiteral("(%1) 555-%2").arg(area, line); break;
    case 2: phone = QStringLiteral("%1.555.%2").arg(area, line); break;
    default: phone = QStringLiteral("+1") + area + QStringLiteral("555") + line; break;
    }
    const bool invalidPhone = leadgenId.endsWith(QLatin1String("99"));
    if (invalidPhone)
        phone = TryMetaServer::kInvalidPhone;
    const QString email = QStringLiteral("%1.%2@%3")
                              .arg(first.toLower(), family.toLower(),
                                   QLatin1String(pick(kEmailDomains, seed, 36)));

    ojson lead;
    lead["created_time"] = QDateTime::fromSecsSinceEpoch(kCreatedSec, Qt::UTC)
                               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss+0000"))
                               .toStdString();
    lead["id"] = leadgenId.toStdString();
    lead["ad_id"] = ad.adId;
    lead["ad_name"] = ad.adName;
    lead["adset_id"] = ad.adsetId;
    lead["adset_name"] = ad.adsetName;
    lead["campaign_id"] = ad.campaignId;
    lead["campaign_name"] = ad.campaignName;
    lead["form_id"] = ad.formId.toStdString();
    const QString values[] = {first + QLatin1Char(' ') + family, email, phone,
                              QLatin1String(city.name)};
    ojson fields = ojson::array();
    for (std::size_t i = 0; i < std::size(kQuestions); ++i)
        fields.push_back({{"name", kQuestions[i].key}, {"values", {values[i].toStdString()}}});
    lead["field_data"] = fields;
    lead["is_organic"] = false;
    lead["platform"] = (seed >> 48) % 4 == 0 ? "ig" : "fb";
    if (note) {
        *note = QStringLiteral("lead %1 %2 of form %3").arg(first, family, ad.formId);
        if (invalidPhone)
            *note += QStringLiteral(", with the invalid phone \"%1\" (ids ending in 99)").arg(phone);
    }
    return lead;
}

ojson form(const Ad &ad)
{
    ojson questions = ojson::array();
    int n = 0;
    for (const Question &q : kQuestions) {
        questions.push_back({{"key", q.key}, {"label", q.label}, {"type", q.type},
                             {"id", (ad.formId + QString::number(++n)).toStdString()}});
    }
    ojson f;
    f["id"] = ad.formId.toStdString();
    f["locale"] = "en_US";
    f["name"] = ad.formName.toStdString();
    f["status"] = "ACTIVE";
    f["questions"] = questions;
    f["created_time"] = "2025-09-01T09:00:00+0000";
    f["leads_count"] = 0;
    return f;
}

Answer ok(const ojson &body, const QString &note)
{
    Answer a;
    a.body = dump(body);
    a.note = note;
    return a;
}

Answer leadgenForms(const QString &pageId, const QString &fieldsParam)
{
    ojson data = ojson::array();
    for (const Ad *ad : {&kFirstAd, &kSecondAd}) {
        ojson selected;
        const QStringList defaults{QStringLiteral("id"), QStringLiteral("locale"),
                                   QStringLiteral("name"), QStringLiteral("status")};
        if (auto error = select(form(*ad), fieldsParam, kFormFields, defaults, "LeadgenForm",
                                &selected))
            return *error;
        data.push_back(selected);
    }
    const std::string before = QByteArray("form:" + kFirstAd.formId.toLatin1()).toBase64().toStdString();
    const std::string after = QByteArray("form:" + kSecondAd.formId.toLatin1()).toBase64().toStdString();
    return ok({{"data", data}, {"paging", {{"cursors", {{"before", before}, {"after", after}}}}}},
              QStringLiteral("2 lead forms of page %1").arg(pageId));
}

Answer debugToken(const QString &inputToken)
{
    if (inputToken.isEmpty())
        return graphError(100, 0, QStringLiteral("(#100) The parameter input_token is required"));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    ojson data;
    data["app_id"] = "1000000000000001";
    data["type"] = "PAGE";
    data["application"] = "Leadkeeper try-meta (stand-in, not Meta)";
    data["data_access_expires_at"] = now + 90 * 86400;
    data["expires_at"] = now + kTokenLifetimeSec;
    data["is_valid"] = true;
    data["issued_at"] = now;
    data["scopes"] = {"pages_show_list",  "ads_management",        "leads_retrieval",
                      "pages_read_engagement", "pages_manage_metadata", "pages_manage_ads",
                      "public_profile"};
    data["user_id"] = "1000000000000002";
    return ok({{"data", data}},
              QStringLiteral("token valid, expires %1")
                  .arg(QDateTime::fromSecsSinceEpoch(now + kTokenLifetimeSec, Qt::UTC)
                           .toString(Qt::ISODate)));
}

} // namespace

TryMetaServer::TryMetaServer(QObject *parent) : QObject(parent), m_http(std::make_unique<QHttpServer>())
{
    // Every shape of path goes to respond(), which knows Graph's routes; a longer path reaches
    // the missing handler, which answers the same way (synchronously, DESIGN.md §9).
    const auto send = [this](const QHttpServerRequest &request) {
        const Answer a = respond(request);
        QHttpServerResponse response("application/json; charset=UTF-8", a.body,
                                     QHttpServerResponse::StatusCode(a.status));
        response.addHeaders(a.headers);
        return response;
    };
    m_http->route(QStringLiteral("/<arg>"),
                  [send](const QString &, const QHttpServerRequest &r) { return send(r); });
    m_http->route(QStringLiteral("/<arg>/<arg>"),
                  [send](const QString &, const QString &, const QHttpServerRequest &r) {
                      return send(r);
                  });
    m_http->route(QStringLiteral("/<arg>/<arg>/<arg>"),
                  [send](const QString &, const QString &, const QString &,
                         const QHttpServerRequest &r) { return send(r); });
    m_http->setMissingHandler([this](const QHttpServerRequest &request,
                                     QHttpServerResponder &&responder) {
        const Answer a = respond(request);
        responder.writeStatusLine(QHttpServerResponder::StatusCode(a.status));
        responder.writeHeader("Content-Type", "application/json; charset=UTF-8");
        for (const auto &[name, value] : a.headers)
            responder.writeHeader(name, value);
        responder.writeHeader("Content-Length", QByteArray::number(a.body.size()));
        responder.writeBody(a.body);
    });
}

TryMetaServer::~TryMetaServer() = default;

bool TryMetaServer::listen(const QHostAddress &host, quint16 port, QString *error)
{
    auto tcp = std::make_unique<QTcpServer>();
    if (!tcp->listen(host, port)) {
        const QString address = host.protocol() == QAbstractSocket::IPv6Protocol
                                    ? QStringLiteral("[%1]").arg(host.toString())
                                    : host.toString();
        *error = QStringLiteral("The try-meta stand-in cannot listen on %1:%2: %3")
                     .arg(address)
                     .arg(port)
                     .arg(tcp->errorString());
        return false;
    }
    m_host = host;
    m_tcp = tcp.release();
    m_http->bind(m_tcp); // the QHttpServer owns it from here
    return true;
}

quint16 TryMetaServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString TryMetaServer::baseUrl() const
{
    QString host = m_host.toString();
    if (m_host == QHostAddress::Any || m_host == QHostAddress::AnyIPv4 || m_host.isNull())
        host = QStringLiteral("127.0.0.1");
    else if (m_host == QHostAddress::AnyIPv6)
        host = QStringLiteral("[::1]");
    else if (m_host.protocol() == QAbstractSocket::IPv6Protocol)
        host = QStringLiteral("[%1]").arg(host);
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

QByteArray TryMetaServer::leadJson(const QString &leadgenId)
{
    if (!isDigits(leadgenId))
        return {};
    return dump(fullLead(leadgenId, nullptr));
}

TryMetaServer::Answer TryMetaServer::answer(const QByteArray &method, const QUrl &url,
                                            const QByteArray &authorization)
{
    static const QRegularExpression version(QStringLiteral("^v\\d+\\.\\d+$"));
    const QUrlQuery query(url);
    const QString path = url.path(QUrl::FullyDecoded);
    QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString apiVersion = QStringLiteral("v24.0");
    if (!segments.isEmpty() && version.match(segments.constFirst()).hasMatch())
        apiVersion = segments.takeFirst();

    const qsizetype space = authorization.indexOf(' ');
    const QByteArray scheme = space < 0 ? QByteArray() : authorization.left(space).toLower();
    QByteArray token = scheme == "bearer" || scheme == "oauth" ? authorization.mid(scheme.size()).trimmed()
                                                               : QByteArray();
    if (token.isEmpty())
        token = query.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded).toUtf8();

    Answer a;
    if (method != "GET") {
        a = graphError(100, 0, QStringLiteral("Unsupported %1 request. Please read the Graph API "
                                              "documentation at https://developers.facebook.com/docs/graph-api")
                                   .arg(QString::fromLatin1(method.toLower())),
                       "GraphMethodException");
    } else if (token.isEmpty()) {
        a = graphError(104, 0, QStringLiteral("An access token is required to request this resource."));
    } else if (segments.size() == 1 && segments.constFirst() == QLatin1String("debug_token")) {
        a = debugToken(query.queryItemValue(QStringLiteral("input_token"), QUrl::FullyDecoded));
    } else if (segments.size() == 1 && isDigits(segments.constFirst())) {
        QString note;
        ojson lead;
        const QStringList defaults{QStringLiteral("created_time"), QStringLiteral("id"),
                                   QStringLiteral("field_data")};
        const auto error = select(fullLead(segments.constFirst(), &note),
                                  query.queryItemValue(QStringLiteral("fields"), QUrl::FullyDecoded),
                                  kLeadFields, defaults, "Lead", &lead);
        a = error ? *error : ok(lead, note);
    } else if (segments.size() == 1) {
        a = notFound(segments.constFirst());
    } else if (segments.size() == 2 && segments.at(1) == QLatin1String("leadgen_forms")) {
        a = isDigits(segments.constFirst())
                ? leadgenForms(segments.constFirst(),
                               query.queryItemValue(QStringLiteral("fields"), QUrl::FullyDecoded))
                : notFound(segments.constFirst());
    } else {
        a = unknownPath(path.left(120));
    }
    a.headers.append(qMakePair(QByteArray("facebook-api-version"), apiVersion.toLatin1()));
    a.headers.append(qMakePair(QByteArray("x-leadkeeper-stand-in"), QByteArray("try-meta")));
    return a;
}

TryMetaServer::Answer TryMetaServer::respond(const QHttpServerRequest &request)
{
    QByteArray method;
    switch (request.method()) {
    case QHttpServerRequest::Method::Get: method = "GET"; break;
    case QHttpServerRequest::Method::Post: method = "POST"; break;
    case QHttpServerRequest::Method::Put: method = "PUT"; break;
    case QHttpServerRequest::Method::Delete: method = "DELETE"; break;
    case QHttpServerRequest::Method::Head: method = "HEAD"; break;
    default: method = "OTHER"; break;
    }
    QByteArray authorization;
    const auto headers = request.headers();
    for (const auto &[name, value] : headers) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            authorization = value;
    }
    Answer a = answer(method, request.url(), authorization);
    // The path only: debug_token's query carries a token.
    Q_EMIT answered(QStringLiteral("%1 %2 -> %3 %4")
                        .arg(QString::fromLatin1(method), request.url().path().left(200))
                        .arg(a.status)
                        .arg(a.note));
    return a;
}

} // namespace leadkeeper
