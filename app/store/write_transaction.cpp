#include "write_transaction.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

namespace leadkeeper {

namespace {

/// The busy timeout the connection was opened with (Database::open sets it), else SQLite's 5 s.
int busyTimeoutMs(const QSqlDatabase &db)
{
    const QStringList options = db.connectOptions().split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &option : options) {
        const QString o = option.trimmed();
        if (o.startsWith(QLatin1String("QSQLITE_BUSY_TIMEOUT="))) {
            bool ok = false;
            const int ms = o.mid(o.indexOf(QLatin1Char('=')) + 1).toInt(&ok);
            if (ok)
                return ms;
        }
    }
    return 5000;
}

} // namespace

WriteTransaction::WriteTransaction(QSqlDatabase &db)
    : m_db(db), m_sqlite(db.driverName() == QLatin1String("QSQLITE"))
{
    if (m_sqlite) {
        const int timeoutMs = busyTimeoutMs(m_db);
        if (!m_gate.acquire(m_db.databaseName(), timeoutMs)) {
            m_error = QStringLiteral("database is locked (another writer of this process held it "
                                     "for more than %1 ms)")
                          .arg(timeoutMs);
            return;
        }
        QSqlQuery q(m_db);
        m_open = q.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_open) {
            m_error = q.lastError().text();
            m_gate.release();
        }
    } else {
        m_open = m_db.transaction();
        if (!m_open)
            m_error = m_db.lastError().text();
    }
}

WriteTransaction::~WriteTransaction()
{
    rollback();
}

bool WriteTransaction::commit()
{
    if (!m_open)
        return false;
    if (m_sqlite) {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("COMMIT"))) {
            m_error = q.lastError().text();
            rollback();
            return false;
        }
    } else if (!m_db.commit()) {
        m_error = m_db.lastError().text();
        rollback();
        return false;
    }
    m_open = false;
    m_gate.release();
    return true;
}

void WriteTransaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_sqlite) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("ROLLBACK"));
    } else {
        m_db.rollback();
    }
    m_gate.release();
}

} // namespace leadkeeper
