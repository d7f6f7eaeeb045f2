#include "graph_error.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cmath>

namespace leadkeeper {

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

// Meta sends codes as numbers; a digit string is tolerated rather than ignored.
int intValue(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return 0;
    if (it->is_number_integer())
        return int(std::clamp<std::int64_t>(it->get<std::int64_t>(), INT_MIN, INT_MAX));
    if (it->is_number_unsigned())
        return int(std::min<std::uint64_t>(it->get<std::uint64_t>(), INT_MAX));
    if (it->is_string()) {
        bool ok = false;
        const int v = QString::fromStdString(it->get<std::string>()).trimmed().toInt(&ok);
        return ok ? v : 0;
    }
    return 0;
}

QString stringValue(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>()).trimmed();
}

// Wait announced by one usage object: estimated_time_to_regain_access is in minutes,
// reset_time_duration (X-Ad-Account-Usage) in seconds.
qint64 usageWaitMs(const nlohmann::json &usage)
{
    if (!usage.is_object())
        return 0;
    qint64 ms = 0;
    const auto number = [&usage](const char *key) -> double {
        const auto it = usage.find(key);
        if (it == usage.end())
            return 0;
        if (it->is_number())
            return it->get<double>();
        if (it->is_string())
            return QString::fromStdString(it->get<std::string>()).toDouble();
        return 0;
    };
    const double minutes = number("estimated_time_to_regain_access");
    if (std::isfinite(minutes) && minutes > 0)
        ms = std::max(ms, qint64(minutes * 60'000.0));
    const double seconds = number("reset_time_duration");
    if (std::isfinite(seconds) && seconds > 0)
        ms = std::max(ms, qint64(seconds * 1000.0));
    return ms;
}

qint64 headerWaitMs(const QByteArray &name, const QByteArray &value)
{
    if (name.compare("Retry-After", Qt::CaseInsensitive) == 0) {
        bool ok = false;
        const qint64 seconds = value.trimmed().toLongLong(&ok);
        if (ok)
            return seconds > 0 ? seconds * 1000 : 0;
        const QDateTime at = QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
        return at.isValid() ? std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at)) : 0;
    }
    const bool businessUseCase = name.compare("X-Business-Use-Case-Usage", Qt::CaseInsensitive) == 0;
    const bool appOrAccount = name.compare("X-App-Usage", Qt::CaseInsensitive) == 0
                              || name.compare("X-Ad-Account-Usage", Qt::CaseInsensitive) == 0;
    if (!businessUseCase && !appOrAccount)
        return 0;
    const auto parsed = nlohmann::json::parse(value.constData(), value.constData() + value.size(),
                                              nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return 0;
    if (appOrAccount)
        return usageWaitMs(parsed);
    // {"<business or page id>": [{"type": ..., "estimated_time_to_regain_access": minutes}, ...]}
    qint64 ms = 0;
    for (const auto &[id, entries] : parsed.items()) {
        if (entries.is_array()) {
            for (const auto &entry : entries)
                ms = std::max(ms, usageWaitMs(entry));
        } else {
            ms = std::max(ms, usageWaitMs(entries));
        }
    }
    return ms;
}

QString shortened(const QString &text, int max = 240)
{
    const QString simple = text.simplified();
    return simple.size() <= max ? simple : simple.left(max - 3) + QStringLiteral("...");
}

QString waitPhrase(const std::optional<qint64> &ms)
{
    if (!ms || *ms <= 0)
        return QString();
    if (*ms < 90'000)
        return QStringLiteral(" in about %1 seconds").arg(std::max<qint64>(1, (*ms + 999) / 1000));
    return QStringLiteral(" in about %1 minutes").arg((*ms + 59'999) / 60'000);
}

QString codeTextFor(int code, int subcode)
{
    if (code == 0)
        return QString();
    return subcode ? QStringLiteral("%1/%2").arg(code).arg(subcode) : QString::number(code);
}

bool isRateLimitCode(int code)
{
    return code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014);
}

} // namespace

bool GraphError::isTransientCode(int code)
{
    return code == 1 || code == 2 || code == 341 || isRateLimitCode(code);
}

std::optional<qint64> GraphError::retryAfterFromHeaders(const Headers &headers)
{
    qint64 ms = 0;
    for (const auto &[name, value] : headers)
        ms = std::max(ms, headerWaitMs(name, value));
    if (ms <= 0)
        return std::nullopt;
    return ms;
}

GraphError GraphError::classify(int httpStatus, const QByteArray &body, const Headers &headers)
{
    GraphError e;
    e.httpStatus = httpStatus;
    e.retryAfterMs = retryAfterFromHeaders(headers);

    const auto parsed = nlohmann::json::parse(body.constData(), body.constData() + body.size(),
                                              nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
        const auto it = parsed.find("error");
        if (it != parsed.end() && it->is_object()) {
            e.code = intValue(*it, "code");
            e.subcode = intValue(*it, "error_subcode");
            e.type = stringValue(*it, "type");
            e.message = stringValue(*it, "message");
            e.fbtraceId = stringValue(*it, "fbtrace_id");
        } else if (it != parsed.end() && it->is_string()) {
            e.message = QString::fromStdString(it->get<std::string>());
        }
    }

    if (e.code != 0) {
        e.kind = isTransientCode(e.code) ? Kind::Transient : Kind::Permanent;
        if (e.message.isEmpty())
            e.message = QStringLiteral("Meta sent error code %1 without a message").arg(codeTextFor(e.code, e.subcode));
        return e;
    }
    // No Graph code: only now does the HTTP status decide.
    if (httpStatus >= 200 && httpStatus < 300) {
        e.kind = Kind::Transient;
        if (e.message.isEmpty())
            e.message = QStringLiteral("Meta answered HTTP %1 with a body that is not the expected "
                                       "JSON (%2 bytes)")
                            .arg(httpStatus)
                            .arg(body.size());
    } else if ((httpStatus >= 500 && httpStatus < 600) || httpStatus == 408 || httpStatus == 429) {
        e.kind = Kind::Transient;
        if (e.message.isEmpty())
            e.message = QStringLiteral("Meta answered HTTP %1 without a Graph error").arg(httpStatus);
    } else {
        e.kind = Kind::Permanent;
        e.message = e.message.isEmpty()
                        ? QStringLiteral("Meta answered HTTP %1 without a Graph error").arg(httpStatus)
                        : QStringLiteral("Meta answered HTTP %1: %2").arg(httpStatus).arg(e.message);
    }
    return e;
}

GraphError GraphError::networkFailure(const QString &what, bool timedOut)
{
    GraphError e;
    e.kind = Kind::Transient;
    e.network = true;
    e.timedOut = timedOut;
    e.message = what;
    return e;
}

QString GraphError::codeText() const
{
    return codeTextFor(code, subcode);
}

QString GraphError::staffMessage(const QString &pageName, const QString &leadgenId) const
{
    const QString page = pageName.trimmed().isEmpty() ? QStringLiteral("this page")
                                                      : QStringLiteral("page %1").arg(pageName.trimmed());
    const QString lead = leadgenId.isEmpty() ? QStringLiteral("this lead")
                                             : QStringLiteral("lead %1").arg(leadgenId);
    const QString ref = QStringLiteral("Meta error %1").arg(codeText());
    const QString meta = shortened(message);
    const QString retry = QStringLiteral("Leadkeeper will retry automatically%1.").arg(waitPhrase(retryAfterMs));

    if (kind == Kind::Transient) {
        if (timedOut)
            return QStringLiteral("Meta did not answer in time while Leadkeeper fetched %1 for %2; %3")
                .arg(lead, page, retry);
        if (network)
            return QStringLiteral("Leadkeeper could not reach Meta to fetch %1 for %2 (%3); %4 If "
                                  "this lasts, check this computer's internet connection and the "
                                  "Graph API address in Settings.")
                .arg(lead, page, meta, retry);
        if (isRateLimitCode(code))
            return QStringLiteral("Meta is rate-limiting %1 (%2); %3").arg(page, ref, retry);
        if (code == 341)
            return QStringLiteral("Meta has temporarily limited Leadkeeper's app for %1 (%2); %3")
                .arg(page, ref, retry);
        if (code != 0)
            return QStringLiteral("Meta had a temporary problem answering for %1 (%2); %3")
                .arg(page, ref, retry);
        if (httpStatus == 429 || httpStatus == 408)
            return QStringLiteral("Meta is rate-limiting %1 (HTTP %2); %3").arg(page).arg(httpStatus).arg(retry);
        if (httpStatus >= 200 && httpStatus < 300)
            return QStringLiteral("Meta sent an unreadable answer for %1 of %2; %3").arg(lead, page, retry);
        return QStringLiteral("Meta had a temporary server problem (HTTP %1) answering for %2; %3")
            .arg(httpStatus)
            .arg(page, retry);
    }

    if (code == 0 && httpStatus == 0)
        return QStringLiteral("Leadkeeper cannot ask Meta for %1 of %2: %3. Correct it, then "
                              "reprocess.")
            .arg(lead, page, meta);
    if (code == 190) {
        QString why;
        switch (subcode) {
        case 463:
            return QStringLiteral("The access token of %1 has expired (%2). Renew it in Pages, then "
                                  "reprocess.")
                .arg(page, ref);
        case 460:
            why = QStringLiteral("stopped working because the password of the Facebook account that "
                                 "created it was changed");
            break;
        case 458:
            why = QStringLiteral("stopped working because the Facebook account that created it "
                                 "removed Leadkeeper's app");
            break;
        case 459:
            return QStringLiteral("The Facebook account behind the access token of %1 must log in "
                                  "at facebook.com to clear a security checkpoint (%2). Log in, "
                                  "renew the token in Pages, then reprocess.")
                .arg(page, ref);
        case 464:
            return QStringLiteral("The Facebook account behind the access token of %1 is not "
                                  "confirmed (%2). Confirm the account on Facebook, renew the "
                                  "token in Pages, then reprocess.")
                .arg(page, ref);
        case 467:
            return QStringLiteral("The access token of %1 is not valid (%2): it was revoked, "
                                  "mistyped or belongs to another app. Enter a new page access "
                                  "token in Pages, then reprocess.")
                .arg(page, ref);
        case 492:
            why = QStringLiteral("belongs to a Facebook account that is no longer an admin of the "
                                 "page, or whose session was invalidated");
            break;
        default:
            why = QStringLiteral("was rejected by Meta");
            break;
        }
        return QStringLiteral("The access token of %1 %2 (%3). Renew it in Pages with an account "
                              "that manages the page, then reprocess.")
            .arg(page, why, ref);
    }
    if (code == 100 && subcode == 33)
        return QStringLiteral("Meta does not let %1 read this lead (%2): the page token lacks the "
                              "leads_retrieval permission, Leadkeeper's app is not allowed under "
                              "the page's Leads Access settings, or the lead was deleted. Fix the "
                              "token or access in Pages, then reprocess; if the lead was deleted, "
                              "mark it as Loss.")
            .arg(page, ref);
    if (code == 100)
        return QStringLiteral("Meta rejected the request for %1 of %2 (%3: %4). Check the lead id "
                              "and the page's settings in Pages, then reprocess.")
            .arg(lead, page, ref, meta);
    if (code == 10 || (code >= 200 && code <= 299))
        return QStringLiteral("%1 lacks a permission Meta requires to read leads (%2: %3). Renew "
                              "the page token in Pages with the leads_retrieval permission, from an "
                              "account with a role on the page, and allow Leadkeeper's app under "
                              "the page's Leads Access settings, then reprocess.")
            .arg(page.at(0).toUpper() + page.mid(1), ref, meta);
    if (code != 0)
        return QStringLiteral("Meta refused to return %1 for %2 (%3: %4). Check the page's "
                              "settings in Pages, then reprocess.")
            .arg(lead, page, ref, meta);
    return QStringLiteral("Meta refused the request for %1 of %2 (HTTP %3 without a Meta error "
                          "code). Check the Graph API address and version in Settings, then "
                          "reprocess.")
        .arg(lead, page)
        .arg(httpStatus);
}

QString GraphError::historyText() const
{
    QString text = QStringLiteral("Graph API %1 ").arg(kind == Kind::Transient
                                                            ? QStringLiteral("transient")
                                                            : QStringLiteral("permanent"));
    if (network) {
        text += timedOut ? QStringLiteral("timeout") : QStringLiteral("network failure");
    } else {
        text += QStringLiteral("error");
        if (code != 0)
            text += QStringLiteral(" %1").arg(codeText());
        if (!type.isEmpty())
            text += QStringLiteral(" (%1)").arg(type);
        text += QStringLiteral(", HTTP %1").arg(httpStatus);
    }
    if (!message.isEmpty())
        text += QStringLiteral(": %1").arg(shortened(message, 400));
    if (!fbtraceId.isEmpty())
        text += QStringLiteral(" [fbtrace_id %1]").arg(fbtraceId);
    if (retryAfterMs)
        text += QStringLiteral(" [Meta asks to wait %1 s]").arg((*retryAfterMs + 999) / 1000);
    return text;
}

} // namespace leadkeeper
