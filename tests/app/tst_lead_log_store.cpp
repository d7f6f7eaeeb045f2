// LeadLogStore: one entry per leadgen id, redeliveries counted, a delivery stored whole or not at
// all, and listing newest first with filters.

#include "store/database.h"
#include "store/lead_log_store.h"
#include "store/rejected_delivery_log.h"
#include "temp_store.h"

#include <QSqlQuery>
#include <QTest>

using namespace leadkeeper;

namespace {

IncomingLead lead(const QString &leadgenId, LeadSource source = LeadSource::Webhook,
                  const QString &pageId = QStringLiteral("1029384756473829"))
{
    IncomingLead l;
    l.leadgenId = leadgenId;
    l.pageId = pageId;
    l.formId = QStringLiteral("5647382910564738");
    l.adId = QStringLiteral("6120000000000000001");
    l.adgroupId = QStringLiteral("6120000000000000002");
    l.createdAtMs = 1763800000000;
    l.source = source;
    l.rawPayload = R"({"change":{"value":{"leadgen_id":")" + leadgenId.toUtf8() + R"("}}})";
    return l;
}

} // namespace

class TestLeadLogStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TempStore> m_temp;
    std::optional<Database> m_db;
    std::unique_ptr<LeadLogStore> m_store;

    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db->sql());
        if (!q.exec(sql) || !q.next())
            return QStringLiteral("<query failed>");
        return q.value(0);
    }
    int count(const QString &table) { return scalar(QStringLiteral("SELECT COUNT(*) FROM ") + table).toInt(); }

    LeadLogStore::DeliveryOutcome store(const QList<IncomingLead> &leads, qint64 at)
    {
        QString error;
        const auto outcome = m_store->storeDelivery(leads, at, &error);
        if (!outcome)
            qWarning() << error;
        return outcome.value_or(LeadLogStore::DeliveryOutcome{-1, -1, {}});
    }

    QStringList ids(const LeadLogFilter &filter)
    {
        QString error;
        const auto entries = m_store->list(filter, &error);
        if (!entries)
            return {QStringLiteral("<error: %1>").arg(error)};
        QStringList result;
        for (const LeadLogEntry &e : *entries)
            result << e.leadgenId;
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_temp = std::make_unique<test::TempStore>();
        QVERIFY(m_temp->isValid());
        QString error;
        m_db = Database::open(m_temp->databasePath(), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_store = std::make_unique<LeadLogStore>(m_db->sql());
    }

    void cleanup()
    {
        m_store.reset();
        m_db.reset();
        m_temp.reset();
    }

    void storeInsertsEntryWithHistory()
    {
        IncomingLead organic = lead(QStringLiteral("900000000000000002"));
        organic.adId.clear();
        organic.adgroupId.clear();
        organic.createdAtMs.reset();
        const auto outcome = store({lead(QStringLiteral("9007199254740993123")), organic}, 1763800005000);
        QCOMPARE(outcome.stored, 2);
        QCOMPARE(outcome.redelivered, 0);
        QCOMPARE(outcome.newLeadgenIds,
                 QStringList({QStringLiteral("9007199254740993123"), QStringLiteral("900000000000000002")}));

        QString error;
        const auto e = m_store->find(QStringLiteral("9007199254740993123"), &error);
        QVERIFY2(e, qPrintable(error));
        QCOMPARE(e->leadgenId, QStringLiteral("9007199254740993123")); // exact: beyond a double
        QCOMPARE(e->pageId, QStringLiteral("1029384756473829"));
        QCOMPARE(e->formId, QStringLiteral("5647382910564738"));
        QCOMPARE(e->adId, QStringLiteral("6120000000000000001"));
        QCOMPARE(e->adgroupId, QStringLiteral("6120000000000000002"));
        QCOMPARE(e->createdAtMs, std::optional<qint64>(1763800000000));
        QCOMPARE(e->receivedAtMs, 1763800005000);
        QCOMPARE(e->source, LeadSource::Webhook);
        QCOMPARE(e->status, LeadStatus::Pending);
        QCOMPARE(e->platform, QStringLiteral("unknown"));
        QVERIFY(!e->organic);
        QCOMPARE(e->deliveries, 1);
        QCOMPARE(e->attempts, 0);
        QCOMPARE(e->rawPayload, lead(QStringLiteral("9007199254740993123")).rawPayload);
        QVERIFY(e->leadPayload.isNull());
        QCOMPARE(e->errorMessage, QString());

        const QList<HistoryEvent> history = m_store->history(e->id, &error);
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).atMs, 1763800005000);
        QCOMPARE(history.at(0).actor, QStringLiteral("system"));
        QVERIFY(!history.at(0).from);
        QCOMPARE(history.at(0).to, LeadStatus::Pending);
        QCOMPARE(history.at(0).message, QStringLiteral("Received via webhook"));

        const auto o = m_store->find(QStringLiteral("900000000000000002"), &error);
        QVERIFY2(o, qPrintable(error));
        QVERIFY(o->organic); // no ad id
        QVERIFY(!o->createdAtMs);
    }

    void historyNamesTheSource()
    {
        QCOMPARE(store({lead(QStringLiteral("11"), LeadSource::Import)}, 1000).stored, 1);
        QString error;
        const auto e = m_store->find(QStringLiteral("11"), &error);
        QVERIFY(e);
        QCOMPARE(m_store->history(e->id, &error).value(0).message, QStringLiteral("Received via import"));
    }

    void redeliveryIsCountedNotDuplicated()
    {
        QCOMPARE(store({lead(QStringLiteral("21"))}, 1000).stored, 1);
        const auto again = store({lead(QStringLiteral("21")), lead(QStringLiteral("22"))}, 2000);
        QCOMPARE(again.stored, 1);
        QCOMPARE(again.redelivered, 1);
        QCOMPARE(again.newLeadgenIds, QStringList{QStringLiteral("22")});
        QCOMPARE(store({lead(QStringLiteral("21"))}, 3000).redelivered, 1);

        QString error;
        const auto e = m_store->find(QStringLiteral("21"), &error);
        QVERIFY(e);
        QCOMPARE(e->deliveries, 3);
        QCOMPARE(e->receivedAtMs, 1000); // the first arrival stays the received time
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE leadgen_id = '21'")).toInt(), 1);
        QCOMPARE(m_store->history(e->id, &error).size(), 1);
        QCOMPARE(count(QStringLiteral("lead_log_history")), 2);
    }

    void failedDeliveryStoresNothing()
    {
        QCOMPARE(store({lead(QStringLiteral("31"))}, 1000).stored, 1);
        // A constraint that fails on the third lead of a batch (what a full disk or a damaged row
        // would do mid-transaction).
        QSqlQuery q(m_db->sql());
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER poison BEFORE INSERT ON lead_log WHEN "
                                      "NEW.leadgen_id = '666' BEGIN SELECT RAISE(ABORT, 'poisoned "
                                      "lead'); END")));
        QString error;
        const auto outcome = m_store->storeDelivery(
            {lead(QStringLiteral("32")), lead(QStringLiteral("31")), lead(QStringLiteral("666")),
             lead(QStringLiteral("33"))},
            2000, &error);
        QVERIFY(!outcome);
        QVERIFY2(error.contains(QStringLiteral("poisoned lead")), qPrintable(error));
        QCOMPARE(count(QStringLiteral("lead_log")), 1);
        QCOMPARE(count(QStringLiteral("lead_log_history")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT deliveries FROM lead_log WHERE leadgen_id = '31'")).toInt(), 1);
        QVERIFY(m_db->sql().transaction()); // the failed one was rolled back, not left open
        QVERIFY(m_db->sql().rollback());

        // The store stays usable after a failed delivery.
        QVERIFY(q.exec(QStringLiteral("DROP TRIGGER poison")));
        const auto retried = store({lead(QStringLiteral("32")), lead(QStringLiteral("666"))}, 3000);
        QCOMPARE(retried.stored, 2);
        QCOMPARE(count(QStringLiteral("lead_log")), 3);
    }

    void leadWithoutLeadgenIdRefusesTheDelivery()
    {
        QString error;
        const auto outcome = m_store->storeDelivery({lead(QStringLiteral("41")), lead(QString())}, 1000, &error);
        QVERIFY(!outcome);
        QVERIFY2(error.contains(QStringLiteral("leadgen id")), qPrintable(error));
        QCOMPARE(count(QStringLiteral("lead_log")), 0);
        QCOMPARE(count(QStringLiteral("lead_log_history")), 0);
    }

    void emptyOptionalValuesAreEmptyStringsNotNull()
    {
        IncomingLead bare;
        bare.leadgenId = QStringLiteral("51");
        bare.source = LeadSource::Api; // no page, form, ad, adgroup, created time or payloads
        IncomingLead emptyPayload = lead(QStringLiteral("52"));
        emptyPayload.leadPayload = QByteArray(""); // empty but not null: still "no lead payload"
        QCOMPARE(store({bare, emptyPayload}, 1000).stored, 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE page_id IS NULL OR form_id "
                                       "IS NULL OR ad_id IS NULL OR adgroup_id IS NULL OR raw_payload "
                                       "IS NULL"))
                     .toInt(),
                 0);
        QCOMPARE(scalar(QStringLiteral("SELECT page_id || '|' || form_id || '|' || ad_id || '|' || "
                                       "adgroup_id || '|' || raw_payload FROM lead_log WHERE "
                                       "leadgen_id = '51'"))
                     .toString(),
                 QStringLiteral("||||"));
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE lead_payload IS NULL")).toInt(), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM lead_log WHERE created_at IS NULL")).toInt(), 1);
        QString error;
        const auto e = m_store->find(QStringLiteral("51"), &error);
        QVERIFY(e);
        QVERIFY(e->organic);
        QCOMPARE(e->source, LeadSource::Api);
    }

    void listIsNewestFirstWithFilters()
    {
        const QString pageA = QStringLiteral("100000000000001");
        const QString pageB = QStringLiteral("100000000000002");
        // Two leads share a received time: the later insert (higher id) lists first.
        QCOMPARE(store({lead(QStringLiteral("61"), LeadSource::Webhook, pageA)}, 1000).stored, 1);
        QCOMPARE(store({lead(QStringLiteral("62"), LeadSource::Import, pageB),
                        lead(QStringLiteral("63"), LeadSource::Import, pageA)},
                       3000)
                     .stored,
                 2);
        QCOMPARE(store({lead(QStringLiteral("64"), LeadSource::Webhook, pageB)}, 2000).stored, 1);
        QCOMPARE(store({lead(QStringLiteral("65"), LeadSource::Polling, pageA)}, 4000).stored, 1);
        QSqlQuery q(m_db->sql());
        QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id IN "
                                      "('61', '63')")));

        LeadLogFilter all;
        QCOMPARE(ids(all), QStringList({"65", "63", "62", "64", "61"}));

        LeadLogFilter byStatus;
        byStatus.status = LeadStatus::Error;
        QCOMPARE(ids(byStatus), QStringList({"63", "61"}));
        byStatus.status = LeadStatus::Processed;
        QCOMPARE(ids(byStatus), QStringList());

        LeadLogFilter bySource;
        bySource.source = LeadSource::Import;
        QCOMPARE(ids(bySource), QStringList({"63", "62"}));

        LeadLogFilter byPage;
        byPage.pageId = pageA;
        QCOMPARE(ids(byPage), QStringList({"65", "63", "61"}));

        LeadLogFilter limited;
        limited.limit = 2;
        QCOMPARE(ids(limited), QStringList({"65", "63"}));

        LeadLogFilter combined;
        combined.pageId = pageA;
        combined.status = LeadStatus::Pending;
        combined.source = LeadSource::Polling;
        QCOMPARE(ids(combined), QStringList({"65"}));

        LeadLogFilter nothing;
        nothing.limit = 0;
        QCOMPARE(ids(nothing), QStringList());
    }

    void countsAndLastReceived()
    {
        QCOMPARE(store({lead(QStringLiteral("71")), lead(QStringLiteral("72"))}, 5000).stored, 2);
        QCOMPARE(store({lead(QStringLiteral("73"), LeadSource::Import)}, 7000).stored, 1);
        QString error;
        QCOMPARE(m_store->statusCounts(&error).value(LeadStatus::Pending), 3);
        QCOMPARE(m_store->lastReceivedAt(LeadSource::Webhook, &error), std::optional<qint64>(5000));
        QCOMPARE(m_store->lastReceivedAt(LeadSource::Import, &error), std::optional<qint64>(7000));
        QVERIFY(!m_store->lastReceivedAt(LeadSource::Polling, &error));
    }

    void rejectedDeliveriesAreBounded()
    {
        RejectedDeliveryLog log(m_db->sql(), 10);
        QString error;
        for (int i = 1; i <= 15; ++i) {
            RejectedDelivery d;
            d.receivedAtMs = 1000 + i;
            d.remoteAddress = QStringLiteral("203.0.113.%1").arg(i);
            d.method = QStringLiteral("POST");
            d.path = QStringLiteral("/webhooks/meta");
            d.httpStatus = 401;
            d.reason = QStringLiteral("bad signature %1").arg(i);
            QVERIFY2(log.record(d, QByteArray(i == 15 ? 5000 : 10, 'x'), &error), qPrintable(error));
        }
        RejectedDelivery bare; // null strings are stored as '' (the columns are NOT NULL)
        bare.httpStatus = 400;
        QVERIFY2(log.record(bare, {}, &error), qPrintable(error));
        QCOMPARE(count(QStringLiteral("rejected_deliveries")), 10);

        const QList<RejectedDelivery> latest = log.latest(100, &error);
        QCOMPARE(latest.size(), 10);
        QCOMPARE(latest.at(0).httpStatus, 400);
        QCOMPARE(latest.at(0).reason, QString());
        QCOMPARE(latest.at(1).reason, QStringLiteral("bad signature 15"));
        QCOMPARE(latest.at(1).bodySize, 5000);
        QCOMPARE(latest.at(1).bodyExcerpt.size(), RejectedDeliveryLog::kExcerptBytes);
        QCOMPARE(latest.at(9).reason, QStringLiteral("bad signature 7"));
        QCOMPARE(log.latest(3, &error).size(), 3);
    }

    void findReportsAnUnknownId()
    {
        QString error;
        QVERIFY(!m_store->find(QStringLiteral("404"), &error));
        QVERIFY2(error.contains(QStringLiteral("404")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestLeadLogStore)
#include "tst_lead_log_store.moc"
