#pragma once

#include "write_gate.h"

#include <QSqlDatabase>
#include <QString>

namespace leadkeeper {

/**
 * A write transaction that rolls back unless committed, so every early return leaves the database
 * as it was.
 *
 * On SQLite it begins with BEGIN IMMEDIATE: the write lock is taken up front, waiting up to the busy
 * timeout. A plain (deferred) BEGIN that reads first and writes later fails at once with "database
 * is locked" when another connection committed in between (WAL cannot upgrade a stale snapshot, and
 * SQLite does not call the busy handler for that), which concurrent workers hit constantly.
 */
class WriteTransaction
{
public:
    explicit WriteTransaction(QSqlDatabase &db);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool isOpen() const { return m_open; }
    /// Why it could not begin or commit.
    QString errorText() const { return m_error; }
    bool commit();
    void rollback();

private:
    QSqlDatabase &m_db;
    bool m_open = false;
    bool m_sqlite = false;
    QString m_error;
    WriteGateLock m_gate;
};

} // namespace leadkeeper
