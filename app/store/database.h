#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace leadkeeper {

/**
 * One open connection to the Leadkeeper store, owned by the thread that opened it.
 *
 * open() creates the file if needed (unless told not to), refuses a file that is not a Leadkeeper
 * database or that a newer Leadkeeper wrote without changing a byte of it or of its -wal file (the
 * version is read through a read-only connection first, which never checkpoints), brings the schema
 * up to date through SchemaMigrator, and sets the durability pragmas: WAL, synchronous=FULL (a
 * commit survives a power cut), foreign keys, a busy timeout; temporary tables in memory. Qt connections are per thread, so every thread that
 * touches the store opens its own Database (the first open migrates; later ones find it current).
 * Move-only; the connection is removed when the object dies.
 */
class Database
{
public:
    struct Options
    {
        int busyTimeoutMs = 5000;
        bool readOnly = false;
        /// false: a missing file is an error (for commands that only read), never created.
        bool createIfMissing = true;
    };

    static std::optional<Database> open(const QString &path, const Options &options,
                                        QString *error);
    static std::optional<Database> open(const QString &path, QString *error)
    {
        return open(path, Options{}, error);
    }

    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    QSqlDatabase &sql() { return m_db; }
    QString path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }

    /// Cheap check whether another connection committed since the last call (PRAGMA data_version).
    bool changedElsewhere();

private:
    Database() = default;
    void close();

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_path;
    int m_schemaVersion = 0;
    qint64 m_dataVersion = -1;
};

} // namespace leadkeeper
