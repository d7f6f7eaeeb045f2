#include "rejected_delivery_log.h"
#include "write_transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace leadkeeper {

RejectedDeliveryLog::RejectedDeliveryLog(QSqlDatabase db, int limit)
    : m_db(std::move(db)), m_limit(limit)
{
}

bool RejectedDeliveryLog::record(RejectedDelivery delivery, const QByteArray &body, QString *error)
{
    delivery.bodySize = body.size();
    delivery.bodyExcerpt = QString::fromUtf8(body.left(kExcerptBytes));
    for (QString *text : {&delivery.bodyExcerpt, &delivery.remoteAddress, &delivery.method,
                          &delivery.path, &delivery.reason}) {
        if (text->isNull())
            *text = QLatin1String(""); // Qt would bind a null string as SQL NULL
    }
    WriteTransaction transaction(m_db); // rolls back unless committed
    if (!transaction.isOpen()) {
        *error = transaction.errorText();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO rejected_deliveries (received_at, remote_address, method, "
                             "path, http_status, reason, body_size, body_excerpt) VALUES (?, ?, ?, "
                             "?, ?, ?, ?, ?)"));
    q.addBindValue(delivery.receivedAtMs);
    q.addBindValue(delivery.remoteAddress);
    q.addBindValue(delivery.method);
    q.addBindValue(delivery.path);
    q.addBindValue(delivery.httpStatus);
    q.addBindValue(delivery.reason);
    q.addBindValue(delivery.bodySize);
    q.addBindValue(delivery.bodyExcerpt);
    bool ok = q.exec();
    if (ok) {
        QSqlQuery trim(m_db);
        trim.prepare(QStringLiteral("DELETE FROM rejected_deliveries WHERE id <= (SELECT MAX(id) "
                                    "FROM rejected_deliveries) - ?"));
        trim.addBindValue(m_limit);
        ok = trim.exec();
        if (!ok)
            *error = trim.lastError().text();
    } else {
        *error = q.lastError().text();
    }
    if (ok && !transaction.commit()) {
        *error = transaction.errorText();
        return false;
    }
    return ok;
}

QList<RejectedDelivery> RejectedDeliveryLog::latest(int count, QString *error) const
{
    QList<RejectedDelivery> result;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT received_at, remote_address, method, path, http_status, reason, "
                             "body_size, body_excerpt FROM rejected_deliveries ORDER BY id DESC "
                             "LIMIT ?"));
    q.addBindValue(count);
    if (!q.exec()) {
        *error = q.lastError().text();
        return result;
    }
    while (q.next()) {
        RejectedDelivery d;
        d.receivedAtMs = q.value(0).toLongLong();
        d.remoteAddress = q.value(1).toString();
        d.method = q.value(2).toString();
        d.path = q.value(3).toString();
        d.httpStatus = q.value(4).toInt();
        d.reason = q.value(5).toString();
        d.bodySize = q.value(6).toLongLong();
        d.bodyExcerpt = q.value(7).toString();
        result << d;
    }
    return result;
}

} // namespace leadkeeper
