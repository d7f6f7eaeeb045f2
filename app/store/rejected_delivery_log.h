#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace leadkeeper {

/// A request that was not a lead: failed authentication, a refused handshake.
struct RejectedDelivery
{
    qint64 receivedAtMs = 0;
    QString remoteAddress;
    QString method;
    QString path; ///< without the query string (it may carry a verify token)
    int httpStatus = 0;
    QString reason;
    qint64 bodySize = 0;
    QString bodyExcerpt; ///< at most kExcerptBytes of the body, invalid UTF-8 replaced
};

/**
 * The bounded log of rejected deliveries (DESIGN.md §7): kept so an admin can see why Meta's calls
 * fail (a wrong app secret looks exactly like an attack), never growing past its limit.
 */
class RejectedDeliveryLog
{
public:
    static constexpr int kExcerptBytes = 2048;

    RejectedDeliveryLog(QSqlDatabase db, int limit);

    /// Records one rejection and drops the oldest beyond the limit. Secrets must already be gone.
    bool record(RejectedDelivery delivery, const QByteArray &body, QString *error);
    QList<RejectedDelivery> latest(int count, QString *error) const;

private:
    QSqlDatabase m_db;
    int m_limit;
};

} // namespace leadkeeper
