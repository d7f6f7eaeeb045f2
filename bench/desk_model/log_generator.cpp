#include "log_generator.h"

#include "store/database.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <optional>

namespace leadkeeper::bench {

namespace {

const char *const kFirst[] = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah",
                              "Jonas", "Lea", "Lukas", "Marie", "Noah", "Paul", "Sophie", "Tom",
                              "Erika", "Max", "Laura", "Jan"};
const char *const kLast[] = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
                             "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein",
                             "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger",
                             "Mustermann"};
const char *const kErrors[] = {
    "The phone number 0151 234 is too short. Correct it, then reprocess.",
    "The access token of page Acme Roofing has expired (Meta error 190/463). Renew it in Pages, "
    "then reprocess.",
    "The name contains markup (< or >). Correct it, then reprocess.",
    "The mandatory field phone is missing from the lead.",
    "Meta answered that the lead does not exist (error 100). It may have been deleted."};

// What the per-row triggers of migration 002 maintain, rebuilt once after the bulk insert.
const QString kFtsTable = QStringLiteral("lead_log_fts");
const QString kCountsTable = QStringLiteral("lead_log_counts");
const QString kDayCountsTable = QStringLiteral("lead_log_day_counts");

// Rows per transaction: big enough that commits cost nothing, small enough for the WAL.
constexpr qint64 kBatch = 200000;

QTextStream out(stdout);

using SchemaObjects = QList<QPair<QString, QString>>; // name, CREATE statement

class Generator
{
public:
    Generator(Database &db, QString *error) : m_db(db), m_error(error) {}

    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db.sql());
        if (!q.exec(sql)) {
            *m_error = QStringLiteral("%1: %2").arg(sql.left(80), q.lastError().text());
            return false;
        }
        while (q.next()) {
        }
        return true;
    }

    std::optional<qint64> value(const QString &sql)
    {
        QSqlQuery q(m_db.sql());
        if (!q.exec(sql) || !q.next()) {
            *m_error = QStringLiteral("%1: %2").arg(sql.left(80), q.lastError().text());
            return std::nullopt;
        }
        return q.value(0).toLongLong();
    }

    // lead_log's own indexes and triggers (not the UNIQUE constraint's automatic index).
    std::optional<SchemaObjects> objects(const char *type)
    {
        QSqlQuery q(m_db.sql());
        q.prepare(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = ? AND "
                                 "tbl_name = 'lead_log' AND sql IS NOT NULL ORDER BY name"));
        q.addBindValue(QLatin1String(type));
        if (!q.exec()) {
            *m_error = q.lastError().text();
            return std::nullopt;
        }
        SchemaObjects found;
        while (q.next())
            found << qMakePair(q.value(0).toString(), q.value(1).toString());
        return found;
    }

    bool insertRows(qint64 rows);

    void phase(const char *what, const QElapsedTimer &clock)
    {
        out << "  " << what << ": " << QString::number(clock.elapsed() / 1000.0, 'f', 1) << " s"
            << Qt::endl;
    }

private:
    Database &m_db;
    QString *m_error;
};

bool Generator::insertRows(qint64 rows)
{
    QSqlQuery q(m_db.sql());
    if (!q.prepare(QStringLiteral(
            "INSERT INTO lead_log (leadgen_id, page_id, form_id, ad_id, created_at, received_at, "
            "source, platform, organic, status, error_message, raw_payload, display_name, "
            "display_phone, display_email, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)"))) {
        *m_error = q.lastError().text();
        return false;
    }
    QRandomGenerator random(4242);
    QElapsedTimer clock;
    clock.start();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 span = 365LL * 24 * 3600 * 1000; // a year of leads, oldest first
    const QString import = QStringLiteral("import"), webhook = QStringLiteral("webhook");
    const QString instagram = QStringLiteral("instagram"), facebook = QStringLiteral("facebook");
    const QString empty = QLatin1String("");
    for (qint64 i = 0; i < rows; ++i) {
        if (i % kBatch == 0 && !m_db.sql().transaction()) {
            *m_error = m_db.sql().lastError().text();
            return false;
        }
        const int pageNo = 1 + int(random.bounded(5));
        const int roll = int(random.bounded(100));
        const char *status = roll < 80 ? "processed" : roll < 88 ? "error" : roll < 93
            ? "unconfigured" : roll < 96 ? "pending" : roll < 98 ? "disabled" : "loss";
        const qint64 received = now - span + span * i / qMax<qint64>(1, rows);
        const QString first = QString::fromUtf8(kFirst[random.bounded(20)]);
        const QString last = QString::fromUtf8(kLast[random.bounded(20)]);
        const bool organic = random.bounded(10) == 0;
        q.addBindValue(QString::number(900000000000000LL + i));
        q.addBindValue(QStringLiteral("10485760000000%1").arg(pageNo));
        q.addBindValue(QStringLiteral("77%1").arg(pageNo));
        q.addBindValue(organic ? empty : QStringLiteral("6120%1").arg(random.bounded(1000)));
        q.addBindValue(received - random.bounded(600000));
        q.addBindValue(received);
        q.addBindValue(random.bounded(20) == 0 ? import : webhook);
        q.addBindValue(random.bounded(3) == 0 ? instagram : facebook);
        q.addBindValue(organic ? 1 : 0);
        q.addBindValue(QLatin1String(status));
        q.addBindValue(QLatin1String(status) == QLatin1String("error")
                           ? QString::fromUtf8(kErrors[random.bounded(5)]) : empty);
        q.addBindValue(first + QLatin1Char(' ') + last);
        q.addBindValue(QStringLiteral("+49151%1").arg(10000000 + random.bounded(90000000)));
        q.addBindValue(QStringLiteral("%1.%2@example.com").arg(first.toLower(), last.toLower()));
        q.addBindValue(received);
        if (!q.exec()) {
            *m_error = q.lastError().text();
            return false;
        }
        if ((i + 1) % kBatch == 0 || i + 1 == rows) {
            if (!m_db.sql().commit()) {
                *m_error = m_db.sql().lastError().text();
                return false;
            }
            if ((i + 1) % 1000000 == 0 || i + 1 == rows)
                out << "  inserted " << (i + 1) << " rows, "
                    << qint64((i + 1) * 1000.0 / qMax<qint64>(1, clock.elapsed())) << " rows/s"
                    << Qt::endl;
        }
    }
    return true;
}

} // namespace

bool generateLog(const QString &databasePath, qint64 rows, QString *error)
{
    auto db = Database::open(databasePath, error);
    if (!db)
        return false;
    Generator g(*db, error);
    QElapsedTimer clock;
    clock.start();
    // Configured pages get names; two page ids stay unconfigured, as in real accounts.
    if (!g.exec(QStringLiteral(
            "INSERT OR IGNORE INTO page_configs (page_id, name, created_at, updated_at) "
            "VALUES ('104857600000001', 'Acme Roofing', 0, 0), "
            "('104857600000002', 'Sunny Solar', 0, 0), "
            "('104857600000003', 'City Dental', 0, 0)"))
        || !g.exec(QStringLiteral(
            "INSERT OR IGNORE INTO form_mappings (page_config_id, form_id, form_name, updated_at) "
            "SELECT id, '77' || id, 'Spring offer ' || id, 0 FROM page_configs")))
        return false;

    const auto indexes = g.objects("index");
    const auto triggers = g.objects("trigger");
    if (!indexes || !triggers)
        return false;
    // This connection only, for the generation: a crash midway loses the file, not a real log.
    if (!g.exec(QStringLiteral("PRAGMA synchronous=OFF"))
        || !g.exec(QStringLiteral("PRAGMA cache_size=-262144"))
        || !g.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    for (const auto &[name, sql] : *triggers)
        if (!g.exec(QStringLiteral("DROP TRIGGER \"%1\"").arg(name)))
            return false;
    for (const auto &[name, sql] : *indexes)
        if (!g.exec(QStringLiteral("DROP INDEX \"%1\"").arg(name)))
            return false;
    if (!g.exec(QStringLiteral("COMMIT")))
        return false;

    if (!g.insertRows(rows))
        return false;
    g.phase("rows inserted", clock);

    // One commit per index: the WAL never holds more than one index.
    for (const auto &[name, sql] : *indexes)
        if (!g.exec(sql))
            return false;
    g.phase("indexes rebuilt", clock);

    // What the insert triggers did per row (lead_log_desk_insert, lead_log_day_insert): index the
    // text, count the status and the status per received day. The third step of the first names
    // entries from their lead payload; generated rows carry none.
    if (!g.exec(QStringLiteral("BEGIN IMMEDIATE"))
        || !g.exec(QStringLiteral("INSERT INTO %1 (%1) VALUES ('rebuild')").arg(kFtsTable))
        || !g.exec(QStringLiteral("DELETE FROM %1").arg(kCountsTable))
        || !g.exec(QStringLiteral("INSERT INTO %1 (status, n) SELECT status, COUNT(*) FROM "
                                  "lead_log GROUP BY status").arg(kCountsTable))
        || !g.exec(QStringLiteral("DELETE FROM %1").arg(kDayCountsTable))
        || !g.exec(QStringLiteral("INSERT INTO %1 (status, day, n) SELECT status, "
                                  "received_at / 86400000, COUNT(*) FROM lead_log "
                                  "GROUP BY status, received_at / 86400000").arg(kDayCountsTable)))
        return false;
    for (const auto &[name, sql] : *triggers)
        if (!g.exec(sql))
            return false;
    if (!g.exec(QStringLiteral("COMMIT")))
        return false;
    g.phase("full-text index, counters and triggers rebuilt", clock);

    // The checks: the counters hold every entry, the full-text index one document per entry.
    const auto logRows = g.value(QStringLiteral("SELECT COUNT(*) FROM lead_log"));
    const auto counted = g.value(QStringLiteral("SELECT SUM(n) FROM %1").arg(kCountsTable));
    const auto countedByDay =
        g.value(QStringLiteral("SELECT SUM(n) FROM %1").arg(kDayCountsTable));
    const auto indexed = g.value(QStringLiteral("SELECT COUNT(*) FROM %1_docsize").arg(kFtsTable));
    if (!logRows || !counted || !countedByDay || !indexed)
        return false;
    if (*counted != *logRows || *countedByDay != *logRows || *indexed != *logRows) {
        *error = QStringLiteral("check failed: %1 entries, %2 counted, %3 counted by day, %4 in "
                                "the full-text index")
                     .arg(*logRows).arg(*counted).arg(*countedByDay).arg(*indexed);
        return false;
    }
    if (!g.exec(QStringLiteral("PRAGMA synchronous=FULL"))
        || !g.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        return false;
    g.phase("checked and checkpointed", clock);
    return true;
}

} // namespace leadkeeper::bench
