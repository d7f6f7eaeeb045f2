#include "log_generator.h"

#include "store/database.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

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

} // namespace

bool generateLog(const QString &databasePath, qint64 rows, QString *error)
{
    auto db = Database::open(databasePath, error);
    if (!db)
        return false;
    QSqlQuery q(db->sql());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Configured pages get names; two page ids stay unconfigured, as in real accounts.
    q.exec(QStringLiteral("INSERT OR IGNORE INTO page_configs (page_id, name, created_at, updated_at) "
                          "VALUES ('104857600000001', 'Acme Roofing', 0, 0), "
                          "('104857600000002', 'Sunny Solar', 0, 0), "
                          "('104857600000003', 'City Dental', 0, 0)"));
    q.exec(QStringLiteral("INSERT OR IGNORE INTO form_mappings (page_config_id, form_id, form_name, "
                          "updated_at) SELECT id, '77' || id, 'Spring offer ' || id, 0 FROM page_configs"));
    if (!q.prepare(QStringLiteral(
            "INSERT INTO lead_log (leadgen_id, page_id, form_id, ad_id, created_at, received_at, "
            "source, platform, organic, status, error_message, raw_payload, display_name, "
            "display_phone, display_email, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)"))) {
        *error = q.lastError().text();
        return false;
    }
    QRandomGenerator random(4242);
    QElapsedTimer clock;
    clock.start();
    QTextStream out(stdout);
    const qint64 span = 365LL * 24 * 3600 * 1000; // a year of leads, oldest first
    constexpr qint64 kBatch = 50000;
    for (qint64 i = 0; i < rows; ++i) {
        if (i % kBatch == 0)
            db->sql().transaction();
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
        q.addBindValue(organic ? QString(QLatin1String("")) : QStringLiteral("6120%1").arg(random.bounded(1000)));
        q.addBindValue(received - random.bounded(600000));
        q.addBindValue(received);
        q.addBindValue(random.bounded(20) == 0 ? QStringLiteral("import") : QStringLiteral("webhook"));
        q.addBindValue(random.bounded(3) == 0 ? QStringLiteral("instagram") : QStringLiteral("facebook"));
        q.addBindValue(organic ? 1 : 0);
        q.addBindValue(QLatin1String(status));
        q.addBindValue(QLatin1String(status) == QLatin1String("error")
                           ? QString::fromUtf8(kErrors[random.bounded(5)]) : QString(QLatin1String("")));
        q.addBindValue(first + QLatin1Char(' ') + last);
        q.addBindValue(QStringLiteral("+49151%1").arg(10000000 + random.bounded(90000000)));
        q.addBindValue(QStringLiteral("%1.%2@example.com").arg(first.toLower(), last.toLower()));
        q.addBindValue(received);
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
        if ((i + 1) % kBatch == 0 || i + 1 == rows) {
            if (!db->sql().commit()) {
                *error = db->sql().lastError().text();
                return false;
            }
            if ((i + 1) % 500000 == 0 || i + 1 == rows)
                out << "  generated " << (i + 1) << " rows, " << qint64((i + 1) * 1000.0 / qMax<qint64>(1, clock.elapsed()))
                    << " rows/s" << Qt::endl;
        }
    }
    return true;
}

} // namespace leadkeeper::bench
