// LeadLogModel over a real temporary store, always under QAbstractItemModelTester.

#include "lead_log_model.h"
#include "store/database.h"
#include "store/lead_log_store.h"
#include "temp_store.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace leadkeeper;
using leadkeeper::test::TempStore;

namespace {

// Local wall-clock times, so the expected texts hold in any time zone.
qint64 localMs(int hour, int minute, int second)
{
    return QDateTime(QDate(2025, 11, 22), QTime(hour, minute, second)).toMSecsSinceEpoch();
}

const qint64 kReceived = localMs(14, 3, 5);
const qint64 kCreated = localMs(14, 1, 0);

IncomingLead incoming(const QString &leadgenId, LeadSource source = LeadSource::Webhook)
{
    IncomingLead lead;
    lead.leadgenId = leadgenId;
    lead.pageId = QStringLiteral("1029384756473829");
    lead.formId = QStringLiteral("5647382910564738");
    lead.adId = QStringLiteral("6120000000000000001");
    lead.adgroupId = QStringLiteral("6120000000000000002");
    lead.createdAtMs = kCreated;
    lead.source = source;
    lead.rawPayload = QByteArrayLiteral("{\"leadgen_id\":\"") + leadgenId.toUtf8() + "\"}";
    return lead;
}

} // namespace

class TestLeadLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyLog();
    void headers();
    void columnTexts_data();
    void columnTexts();
    void newestFirst();
    void newEntriesAreInsertedAtTheTopWithoutReset();
    void lateEntryIsInsertedWhereItBelongs();
    void changedEntryIsUpdatedInPlace();
    void redeliveryIsCountedInPlace();
    void capacityKeepsTheNewest();
    void mergeMatchesTheStoreAfterMixedChanges();
    void commitsByOtherConnectionsAreNoticed();
    void refreshRequestsAreCoalesced();
    void leadTextIsPlainText();
    void lastReceivedAt();
    void failedReadKeepsTheRows();

private:
    LeadLogModel *makeModel(int capacity = LeadLogModel::kDefaultCapacity);
    void store(const QList<IncomingLead> &leads, qint64 receivedAtMs);
    void exec(const QString &sql);

    std::unique_ptr<TempStore> m_temp;
    std::optional<Database> m_writerDb;
    std::unique_ptr<LeadLogStore> m_writer;
    std::unique_ptr<LeadLogModel> m_model;
};

void TestLeadLogModel::init()
{
    m_temp = std::make_unique<TempStore>();
    QVERIFY(m_temp->isValid());
    QString error;
    m_writerDb = Database::open(m_temp->databasePath(), &error);
    QVERIFY2(m_writerDb, qPrintable(error));
    m_writer = std::make_unique<LeadLogStore>(m_writerDb->sql());
}

void TestLeadLogModel::cleanup()
{
    m_model.reset();
    m_writer.reset();
    m_writerDb.reset();
    m_temp.reset();
}

LeadLogModel *TestLeadLogModel::makeModel(int capacity)
{
    QString error;
    auto db = Database::open(m_temp->databasePath(), &error);
    if (!db) {
        qWarning() << error;
        return nullptr;
    }
    m_model = std::make_unique<LeadLogModel>(std::move(*db), capacity);
    new QAbstractItemModelTester(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
    return m_model.get();
}

void TestLeadLogModel::store(const QList<IncomingLead> &leads, qint64 receivedAtMs)
{
    QString error;
    const auto outcome = m_writer->storeDelivery(leads, receivedAtMs, &error);
    QVERIFY2(outcome, qPrintable(error));
}

// Sets columns the way the processing pipeline would, to reach every status and text directly.
void TestLeadLogModel::exec(const QString &sql)
{
    QSqlQuery q(m_writerDb->sql());
    QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + QStringLiteral(" in ") + sql));
}

void TestLeadLogModel::emptyLog()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->columnCount(), int(LeadLogModel::ColumnCount));
    QVERIFY(model->refresh());
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(model->lastError().isEmpty());
}

void TestLeadLogModel::headers()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QStringList titles;
    for (int c = 0; c < model->columnCount(); ++c) {
        titles << model->headerData(c, Qt::Horizontal).toString();
        QVERIFY2(!model->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(),
                 "every column explains itself");
    }
    QCOMPARE(titles, QStringList({"Received", "Submitted", "Status", "Page", "Form", "Ad", "Source",
                                  "Platform", "Organic", "Deliveries", "Error"}));
}

void TestLeadLogModel::columnTexts_data()
{
    QTest::addColumn<QString>("update");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");

    const QString none;
    QTest::newRow("received, local time")
        << none << int(LeadLogModel::ReceivedColumn) << "2025-11-22 14:03:05";
    QTest::newRow("submitted, local time")
        << none << int(LeadLogModel::CreatedColumn) << "2025-11-22 14:01:00";
    QTest::newRow("submitted, unknown")
        << "created_at = NULL" << int(LeadLogModel::CreatedColumn) << "";
    QTest::newRow("status pending") << none << int(LeadLogModel::StatusColumn) << "Pending";
    QTest::newRow("status unconfigured")
        << "status = 'unconfigured'" << int(LeadLogModel::StatusColumn) << "Unconfigured";
    QTest::newRow("status disabled")
        << "status = 'disabled'" << int(LeadLogModel::StatusColumn) << "Disabled";
    QTest::newRow("status processed")
        << "status = 'processed'" << int(LeadLogModel::StatusColumn) << "Processed";
    QTest::newRow("status error") << "status = 'error'" << int(LeadLogModel::StatusColumn)
                                  << "Error";
    QTest::newRow("status loss") << "status = 'loss'" << int(LeadLogModel::StatusColumn) << "Loss";
    QTest::newRow("page id, exact digits")
        << none << int(LeadLogModel::PageColumn) << "1029384756473829";
    QTest::newRow("form id") << none << int(LeadLogModel::FormColumn) << "5647382910564738";
    QTest::newRow("ad id, 19 digits")
        << none << int(LeadLogModel::AdColumn) << "6120000000000000001";
    QTest::newRow("ad, organic") << "ad_id = '', organic = 1" << int(LeadLogModel::AdColumn) << "";
    QTest::newRow("source webhook") << none << int(LeadLogModel::SourceColumn) << "Webhook";
    QTest::newRow("source import")
        << "source = 'import'" << int(LeadLogModel::SourceColumn) << "Import";
    QTest::newRow("source api") << "source = 'api'" << int(LeadLogModel::SourceColumn) << "API";
    QTest::newRow("platform not known yet") << none << int(LeadLogModel::PlatformColumn) << "";
    QTest::newRow("platform facebook")
        << "platform = 'facebook'" << int(LeadLogModel::PlatformColumn) << "Facebook";
    QTest::newRow("platform instagram")
        << "platform = 'instagram'" << int(LeadLogModel::PlatformColumn) << "Instagram";
    QTest::newRow("organic no") << none << int(LeadLogModel::OrganicColumn) << "No";
    QTest::newRow("organic yes") << "organic = 1" << int(LeadLogModel::OrganicColumn) << "Yes";
    QTest::newRow("deliveries") << "deliveries = 3" << int(LeadLogModel::DeliveriesColumn) << "3";
    QTest::newRow("no error") << none << int(LeadLogModel::ErrorColumn) << "";
    QTest::newRow("error") << "status = 'error', error_message = 'The phone number 555 is too "
                              "short. Correct it, then reprocess.'"
                           << int(LeadLogModel::ErrorColumn)
                           << "The phone number 555 is too short. Correct it, then reprocess.";
    QTest::newRow("error on two lines, shown on one")
        << "error_message = 'First line.' || char(10) || 'Second line.'"
        << int(LeadLogModel::ErrorColumn) << "First line. Second line.";
}

void TestLeadLogModel::columnTexts()
{
    QFETCH(QString, update);
    QFETCH(int, column);
    QFETCH(QString, expected);

    store({incoming(QStringLiteral("900000000000001"))}, kReceived);
    if (!update.isEmpty())
        exec(QStringLiteral("UPDATE lead_log SET %1").arg(update));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, column).data().toString(), expected);
}

void TestLeadLogModel::newestFirst()
{
    store({incoming(QStringLiteral("1"))}, kReceived);
    store({incoming(QStringLiteral("2")), incoming(QStringLiteral("3"))}, kReceived + 1000);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 3);
    // Same received time: the later id is newer.
    QCOMPARE(model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(), "3");
    QCOMPARE(model->index(1, 0).data(LeadLogModel::LeadgenIdRole).toString(), "2");
    QCOMPARE(model->index(2, 0).data(LeadLogModel::LeadgenIdRole).toString(), "1");
    QCOMPARE(model->index(2, 0).data(LeadLogModel::ReceivedAtRole).toLongLong(), kReceived);
    QCOMPARE(model->entryAt(0).leadgenId, "3");
}

void TestLeadLogModel::newEntriesAreInsertedAtTheTopWithoutReset()
{
    for (int i = 1; i <= 3; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    const QPersistentModelIndex newest = model->index(0, LeadLogModel::StatusColumn);
    const QPersistentModelIndex oldest = model->index(2, 0);

    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(model, &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);

    store({incoming(QStringLiteral("4")), incoming(QStringLiteral("5"))}, kReceived + 10);
    QVERIFY(model->refresh());

    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(), "5");
    QCOMPARE(model->index(1, 0).data(LeadLogModel::LeadgenIdRole).toString(), "4");
    // What the user had selected is still the same entry.
    QCOMPARE(newest.row(), 2);
    QCOMPARE(newest.data(LeadLogModel::LeadgenIdRole).toString(), "3");
    QCOMPARE(oldest.row(), 4);

    // Nothing new: nothing happens.
    QVERIFY(model->refresh());
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 0);
}

void TestLeadLogModel::lateEntryIsInsertedWhereItBelongs()
{
    store({incoming(QStringLiteral("1"))}, kReceived);
    store({incoming(QStringLiteral("3"))}, kReceived + 2000);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);

    // Another process with a slower clock stores a lead received in between.
    store({incoming(QStringLiteral("2"))}, kReceived + 1000);
    QVERIFY(model->refresh());
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(model->index(1, 0).data(LeadLogModel::LeadgenIdRole).toString(), "2");
}

void TestLeadLogModel::changedEntryIsUpdatedInPlace()
{
    for (int i = 1; i <= 3; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);

    exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = 'Bad phone.', "
                        "updated_at = updated_at + 1 WHERE leadgen_id = '2'"));
    QVERIFY(model->refresh());

    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().column(), LeadLogModel::ColumnCount - 1);
    QCOMPARE(model->index(1, LeadLogModel::StatusColumn).data().toString(), "Error");
    QCOMPARE(model->index(1, LeadLogModel::StatusColumn).data(LeadLogModel::StatusRole).toInt(),
             int(LeadStatus::Error));
    QCOMPARE(model->index(1, LeadLogModel::ErrorColumn).data().toString(), "Bad phone.");
}

void TestLeadLogModel::redeliveryIsCountedInPlace()
{
    store({incoming(QStringLiteral("1"))}, kReceived);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);

    store({incoming(QStringLiteral("1"))}, kReceived + 5000); // Meta delivers it again
    QVERIFY(model->refresh());
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, LeadLogModel::DeliveriesColumn).data().toString(), "2");
}

void TestLeadLogModel::capacityKeepsTheNewest()
{
    for (int i = 1; i <= 5; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    LeadLogModel *model = makeModel(3);
    QVERIFY(model);
    QCOMPARE(model->capacity(), 3);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(2, 0).data(LeadLogModel::LeadgenIdRole).toString(), "3");

    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    store({incoming(QStringLiteral("6")), incoming(QStringLiteral("7"))}, kReceived + 10);
    QVERIFY(model->refresh());
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 3);
    QCOMPARE(removed.at(0).at(2).toInt(), 4);
    QCOMPARE(model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(), "7");
    QCOMPARE(model->index(2, 0).data(LeadLogModel::LeadgenIdRole).toString(), "5");
}

void TestLeadLogModel::mergeMatchesTheStoreAfterMixedChanges()
{
    // Inserts anywhere, updates, deletions and the window edge, all in one refresh, many times:
    // the rows must equal a fresh read and every surviving persistent index must follow its entry.
    QRandomGenerator random(20251122);
    const int capacity = 40;
    int nextId = 1;
    for (; nextId <= 30; ++nextId)
        store({incoming(QString::number(nextId))}, kReceived + random.bounded(100000));
    LeadLogModel *model = makeModel(capacity);
    QVERIFY(model);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    for (int round = 0; round < 40; ++round) {
        QList<QPersistentModelIndex> held;
        QList<qint64> heldIds;
        for (int row = 0; row < model->rowCount(); ++row) {
            held << model->index(row, 0);
            heldIds << model->entryAt(row).id;
        }
        for (int n = random.bounded(6); n > 0; --n, ++nextId)
            store({incoming(QString::number(nextId))}, kReceived + random.bounded(200000));
        for (int n = random.bounded(4); n > 0; --n)
            exec(QStringLiteral("UPDATE lead_log SET deliveries = deliveries + 1 WHERE id = %1")
                     .arg(1 + random.bounded(nextId)));
        for (int n = random.bounded(3); n > 0; --n)
            exec(QStringLiteral("DELETE FROM lead_log WHERE id = %1")
                     .arg(1 + random.bounded(nextId)));
        QVERIFY(model->refresh());

        LeadLogFilter filter;
        filter.limit = capacity;
        QString error;
        const auto expected = m_writer->list(filter, &error);
        QVERIFY2(expected, qPrintable(error));
        QCOMPARE(model->rowCount(), expected->size());
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->entryAt(row).id, expected->at(row).id);
            QCOMPARE(model->entryAt(row).deliveries, expected->at(row).deliveries);
        }
        for (qsizetype i = 0; i < held.size(); ++i) {
            if (held.at(i).isValid())
                QCOMPARE(model->entryAt(held.at(i).row()).id, heldIds.at(i));
        }
    }
    QCOMPARE(reset.count(), 0);
}

void TestLeadLogModel::commitsByOtherConnectionsAreNoticed()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    model->startWatching(std::chrono::milliseconds(20));
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    store({incoming(QStringLiteral("42"))}, kReceived);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
    exec(QStringLiteral("UPDATE lead_log SET status = 'processed', updated_at = updated_at + 1"));
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, LeadLogModel::StatusColumn).data().toString(),
                              QStringLiteral("Processed"), 10000);
    QCOMPARE(reset.count(), 0);

    model->stopWatching();
    store({incoming(QStringLiteral("43"))}, kReceived + 1);
    QTest::qWait(200);
    QCOMPARE(model->rowCount(), 1);
}

void TestLeadLogModel::refreshRequestsAreCoalesced()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);
    store({incoming(QStringLiteral("1"))}, kReceived);
    for (int i = 0; i < 100; ++i) // a burst of deliveries
        model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(refreshed.at(0).at(0).toBool(), true);
    QCOMPARE(model->rowCount(), 1);
    QTest::qWait(300);
    QCOMPARE(refreshed.count(), 1);
}

void TestLeadLogModel::leadTextIsPlainText()
{
    const QString markup = QStringLiteral("<b>x</b>");
    const QString script = QStringLiteral("<script>alert(1)</script> & <i>y</i>");
    IncomingLead lead = incoming(QStringLiteral("1"));
    lead.pageId = markup;
    store({lead}, kReceived);
    exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = '%1'").arg(script));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->index(0, LeadLogModel::PageColumn).data().toString(), markup);
    QCOMPARE(model->index(0, LeadLogModel::ErrorColumn).data().toString(), script);
    // No other text role carries lead text (tooltips would render it as rich text).
    for (int c = 0; c < model->columnCount(); ++c) {
        for (int role : {int(Qt::ToolTipRole), int(Qt::StatusTipRole), int(Qt::WhatsThisRole),
                         int(Qt::EditRole)})
            QVERIFY(!model->index(0, c).data(role).isValid());
    }
}

void TestLeadLogModel::lastReceivedAt()
{
    LeadLogModel *model = makeModel(1);
    QVERIFY(model);
    QVERIFY(!model->lastReceivedAt(LeadSource::Webhook));

    store({incoming(QStringLiteral("1"))}, kReceived);
    store({incoming(QStringLiteral("2"), LeadSource::Import)}, kReceived + 1000);
    QVERIFY(model->refresh());
    // The one row held is the import; the webhook is older than the window and comes from the
    // store.
    QCOMPARE(model->newestReceivedAt(LeadSource::Import).value_or(-1), kReceived + 1000);
    QVERIFY(!model->newestReceivedAt(LeadSource::Webhook));
    QCOMPARE(model->lastReceivedAt(LeadSource::Webhook).value_or(-1), kReceived);
    QVERIFY(!model->lastReceivedAt(LeadSource::Polling));
}

void TestLeadLogModel::failedReadKeepsTheRows()
{
    store({incoming(QStringLiteral("1"))}, kReceived);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);
    exec(QStringLiteral("ALTER TABLE lead_log RENAME TO lead_log_gone"));
    QVERIFY(!model->refresh());
    QVERIFY(!model->lastError().isEmpty());
    QCOMPARE(refreshed.count(), 1);
    QCOMPARE(refreshed.at(0).at(0).toBool(), false);
    QCOMPARE(model->rowCount(), 1);

    exec(QStringLiteral("ALTER TABLE lead_log_gone RENAME TO lead_log"));
    QVERIFY(model->refresh());
    QVERIFY(model->lastError().isEmpty());
}

QTEST_GUILESS_MAIN(TestLeadLogModel)
#include "tst_lead_log_model.moc"
