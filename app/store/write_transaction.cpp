#include "write_transaction.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

namespace leadkeeper {

WriteTransaction::WriteTransaction(QSqlDatabase &db)
    : m_db(db), m_sqlite(db.driverName() == QLatin1String("QSQLITE"))
{
    if (m_sqlite) {
        QSqlQuery q(m_db);
        m_open = q.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_open)
            m_error = q.lastError().text();
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
}

} // namespace leadkeeper
