// LeadLogModel over a real temporary store, always under QAbstractItemModelTester.

#include "desk_log.h"
#include "lead_log_model.h"
#include "saved_view_model.h"
#include "status_count_model.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace leadkeeper;
using leadkeeper::test::DeskLog;

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
    return test::deskLead(leadgenId, source, kCreated);
}

QByteArray payload(const QString &name, const QString &phone, const QString &email)
{
    return QStringLiteral("{\"field_data\":[{\"name\":\"full_name\",\"values\":[\"%1\"]},"
                          "{\"name\":\"phone_number\",\"values\":[\"%2\"]},"
                          "{\"name\":\"email\",\"values\":[\"%3\"]}]}")
        .arg(name, phone, email)
        .toUtf8();
}

QStringList ids(const LeadLogModel *model)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out << model->index(row, 0).data(LeadLogModel::LeadgenIdRole).toString();
    return out;
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
    void changedEntryIsUpdatedInPlace();
    void rowLeavingTheFilterKeepsOtherSelections();
    void commitsByOtherConnectionsAreNoticed();
    void filters_data();
    void filters();
    void textSearch_data();
    void textSearch();
    void sorting_data();
    void sorting();
    void bigLogJumpsAnywhere();
    void textFilterFollowsChanges();
    void countsFollowStatusChanges();
    void leadTextIsPlainText();
    void savedViewSpecs();

private:
    LeadLogModel *makeModel();
    void store(const QList<IncomingLead> &leads, qint64 receivedAtMs);
    void exec(const QString &sql);
    void seedFilterLog();

    std::unique_ptr<DeskLog> m_log;
    std::unique_ptr<LeadLogModel> m_model;
};

void TestLeadLogModel::init()
{
    m_log = std::make_unique<DeskLog>();
    QVERIFY(m_log->isValid());
}

void TestLeadLogModel::cleanup()
{
    m_model.reset();
    m_log.reset();
}

LeadLogModel *TestLeadLogModel::makeModel()
{
    auto db = m_log->open();
    if (!db)
        return nullptr;
    m_model = std::make_unique<LeadLogModel>(std::move(*db));
    new QAbstractItemModelTester(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_model.get());
    if (!QTest::qWaitFor([this] { return !m_model->isLoading(); }, 10000))
        return nullptr;
    return m_model.get();
}

void TestLeadLogModel::store(const QList<IncomingLead> &leads, qint64 receivedAtMs)
{
    QVERIFY(m_log->store(leads, receivedAtMs));
}

// Sets columns the way the processing pipeline would, to reach every status and text directly.
void TestLeadLogModel::exec(const QString &sql)
{
    QVERIFY(m_log->exec(sql));
}

void TestLeadLogModel::emptyLog()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->columnCount(), int(LeadLogModel::ColumnCount));
    QVERIFY(model->isCountExact());
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
    QCOMPARE(titles, QStringList({"Received", "Submitted", "Status", "Name", "Phone", "Page",
                                  "Form", "Source", "Platform", "Organic", "Error"}));
}

void TestLeadLogModel::columnTexts_data()
{
    QTest::addColumn<QString>("update");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");

    const QString none;
    const QString payloadSql =
        QStringLiteral("lead_payload = '%1'")
            .arg(QString::fromUtf8(payload("Jane Doe", "+4915112345678", "jane@example.com")));
    QTest::newRow("received, local time")
        << none << int(LeadLogModel::ReceivedColumn) << "2025-11-22 14:03:05";
    QTest::newRow("submitted, local time")
        << none << int(LeadLogModel::CreatedColumn) << "2025-11-22 14:01:00";
    QTest::newRow("submitted, unknown")
        << "created_at = NULL" << int(LeadLogModel::CreatedColumn) << "";
    QTest::newRow("status pending") << none << int(LeadLogModel::StatusColumn) << "Pending";
    QTest::newRow("status unconfigured")
        << "status = 'unconfigured'" << int(LeadLogModel::StatusColumn) << "Unconfigured";
    QTest::newRow("status processed")
        << "status = 'processed'" << int(LeadLogModel::StatusColumn) << "Processed";
    QTest::newRow("status loss") << "status = 'loss'" << int(LeadLogModel::StatusColumn) << "Loss";
    QTest::newRow("name unknown before the payload")
        << none << int(LeadLogModel::NameColumn) << "";
    QTest::newRow("name from the payload") << payloadSql << int(LeadLogModel::NameColumn)
                                           << "Jane Doe";
    QTest::newRow("phone from the payload")
        << payloadSql << int(LeadLogModel::PhoneColumn) << "+4915112345678";
    QTest::newRow("page id while not configured")
        << none << int(LeadLogModel::PageColumn) << "1029384756473829";
    QTest::newRow("form id") << none << int(LeadLogModel::FormColumn) << "5647382910564738";
    QTest::newRow("source import")
        << "source = 'import'" << int(LeadLogModel::SourceColumn) << "Import";
    QTest::newRow("platform not known yet") << none << int(LeadLogModel::PlatformColumn) << "";
    QTest::newRow("platform instagram")
        << "platform = 'instagram'" << int(LeadLogModel::PlatformColumn) << "Instagram";
    QTest::newRow("organic yes") << "organic = 1" << int(LeadLogModel::OrganicColumn) << "Yes";
    QTest::newRow("organic no") << none << int(LeadLogModel::OrganicColumn) << "No";
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
    // A configured page shows its name; a processed lead shows the Lead's name and phone.
    exec(QStringLiteral("INSERT INTO page_configs (page_id, name, created_at, updated_at) VALUES "
                        "('1029384756473829', 'Acme Roofing', 0, 0)"));
    exec(QStringLiteral("INSERT INTO leads (leadgen_id, customer_name, phone, email, updated_at) "
                        "VALUES ('2', 'Max Power', '+491701234567', 'max@power.de', 0)"));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(ids(model), QStringList({"3", "2", "1"})); // same received time: the later id first
    QCOMPARE(model->index(2, 0).data(LeadLogModel::ReceivedAtRole).toLongLong(), kReceived);
    QCOMPARE(model->index(0, LeadLogModel::PageColumn).data().toString(), "Acme Roofing");
    QCOMPARE(model->index(1, LeadLogModel::NameColumn).data().toString(), "Max Power");
    QCOMPARE(model->index(1, LeadLogModel::PhoneColumn).data().toString(), "+491701234567");
    QCOMPARE(model->rowAt(0)->leadgenId, "3");
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
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(model, &QAbstractItemModel::layoutChanged);
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);

    store({incoming(QStringLiteral("4")), incoming(QStringLiteral("5"))}, kReceived + 10);
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);

    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(ids(model), QStringList({"5", "4", "3", "2", "1"}));
    // What the user had selected is still the same entry.
    QCOMPARE(newest.row(), 2);
    QCOMPARE(newest.data(LeadLogModel::LeadgenIdRole).toString(), "3");
    QCOMPARE(oldest.row(), 4);

    model->requestRefresh(); // nothing new: nothing happens
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 10000);
    QCOMPARE(inserted.count(), 1);
}

void TestLeadLogModel::changedEntryIsUpdatedInPlace()
{
    for (int i = 1; i <= 3; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);

    exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = 'Bad phone.', "
                        "updated_at = updated_at + 1 WHERE leadgen_id = '2'"));
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    QCOMPARE(model->index(1, LeadLogModel::StatusColumn).data(LeadLogModel::StatusRole).toInt(),
             int(LeadStatus::Error));
    QCOMPARE(model->index(1, LeadLogModel::ErrorColumn).data().toString(), "Bad phone.");
}

void TestLeadLogModel::rowLeavingTheFilterKeepsOtherSelections()
{
    for (int i = 1; i <= 5; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    exec(QStringLiteral("UPDATE lead_log SET status = 'error'"));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    DeskFilter errors;
    errors.statuses = {LeadStatus::Error};
    model->setFilter(errors);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(ids(model), QStringList({"5", "4", "3", "2", "1"}));
    const QPersistentModelIndex two = model->index(3, 0);
    const QPersistentModelIndex four = model->index(1, 0);
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);

    exec(QStringLiteral("UPDATE lead_log SET status = 'processed' WHERE leadgen_id = '4'"));
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(ids(model), QStringList({"5", "3", "2", "1"}));
    QCOMPARE(two.row(), 2);
    QCOMPARE(two.data(LeadLogModel::LeadgenIdRole).toString(), "2");
    QVERIFY(!four.isValid());
    QCOMPARE(model->statusCounts().value(LeadStatus::Error), 4);
    QCOMPARE(model->statusCounts().value(LeadStatus::Processed), 1);
}

void TestLeadLogModel::commitsByOtherConnectionsAreNoticed()
{
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    model->startWatching(std::chrono::milliseconds(20));
    store({incoming(QStringLiteral("42"))}, kReceived);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(),
                              QStringLiteral("42"), 10000);
    store({incoming(QStringLiteral("43"))}, kReceived + 1);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 10000);
    exec(QStringLiteral("UPDATE lead_log SET status = 'processed', updated_at = updated_at + 1"));
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, LeadLogModel::StatusColumn).data().toString(),
                              QStringLiteral("Processed"), 10000);
    model->stopWatching();
    store({incoming(QStringLiteral("44"))}, kReceived + 2);
    QTest::qWait(200);
    QCOMPARE(model->rowCount(), 2);
}

// Six leads that differ in one thing each, so every filter picks a known set.
void TestLeadLogModel::seedFilterLog()
{
    const qint64 day = 24 * 3600 * 1000;
    IncomingLead a = incoming(QStringLiteral("101"));
    IncomingLead b = incoming(QStringLiteral("102"), LeadSource::Import);
    b.leadPayload = payload(QStringLiteral("Erika Mustermann"), QStringLiteral("+4930123456"),
                            QStringLiteral("erika@example.org"));
    IncomingLead c = incoming(QStringLiteral("103"));
    c.pageId = QStringLiteral("2000000000000002");
    IncomingLead d = incoming(QStringLiteral("104"));
    d.formId = QStringLiteral("7000000000000007");
    d.adId.clear(); // organic
    IncomingLead e = incoming(QStringLiteral("105"));
    e.createdAtMs = kCreated - 10 * day;
    e.leadPayload = payload(QString(), QStringLiteral("0176 555 0199"), QString()); // phone only
    IncomingLead f = incoming(QStringLiteral("106"));
    store({a}, kReceived - 5 * day);
    store({b, c, d, e}, kReceived);
    store({f}, kReceived + day);
    exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = 'The phone number "
                        "is too short.' WHERE leadgen_id = '103'"));
    exec(QStringLiteral("UPDATE lead_log SET platform = 'instagram' WHERE leadgen_id = '106'"));
}

void TestLeadLogModel::filters_data()
{
    QTest::addColumn<QVariantMap>("spec");
    QTest::addColumn<QStringList>("expected");
    const QString day2 = QDateTime::fromMSecsSinceEpoch(kReceived).date().toString(Qt::ISODate);

    QTest::newRow("none") << QVariantMap{}
                          << QStringList{"106", "105", "104", "103", "102", "101"};
    QTest::newRow("status") << QVariantMap{{"statuses", QStringList{"error"}}}
                            << QStringList{"103"};
    QTest::newRow("two statuses") << QVariantMap{{"statuses", QStringList{"error", "loss"}}}
                                  << QStringList{"103"};
    QTest::newRow("source") << QVariantMap{{"source", "import"}} << QStringList{"102"};
    QTest::newRow("platform") << QVariantMap{{"platform", "instagram"}} << QStringList{"106"};
    QTest::newRow("page") << QVariantMap{{"pageId", "2000000000000002"}} << QStringList{"103"};
    QTest::newRow("form") << QVariantMap{{"formId", "7000000000000007"}} << QStringList{"104"};
    QTest::newRow("organic") << QVariantMap{{"organic", "yes"}} << QStringList{"104"};
    QTest::newRow("from ads") << QVariantMap{{"organic", "no"}}
                              << QStringList{"106", "105", "103", "102", "101"};
    QTest::newRow("received on a day")
        << QVariantMap{{"period", "custom"}, {"from", day2}, {"to", day2}}
        << QStringList{"105", "104", "103", "102"};
    QTest::newRow("submitted before a day")
        << QVariantMap{{"period", "custom"}, {"periodOf", "created"}, {"to",
                       QDateTime::fromMSecsSinceEpoch(kCreated).date().addDays(-5).toString(Qt::ISODate)}}
        << QStringList{"105"};
    QTest::newRow("status and source") << QVariantMap{{"statuses", QStringList{"error"}},
                                                      {"source", "import"}}
                                       << QStringList{};
}

void TestLeadLogModel::filters()
{
    QFETCH(QVariantMap, spec);
    QFETCH(QStringList, expected);
    seedFilterLog();
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QSignalSpy applied(model, &LeadLogModel::filterApplied);
    model->setFilter(SavedViewModel::toFilter(spec, QDateTime::currentDateTime()));
    if (!model->filter().isEmpty())
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 10000);
    QTRY_VERIFY(model->isCountExact());
    QCOMPARE(ids(model), expected);
}

void TestLeadLogModel::textSearch_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("defaultRegion"); // the desk's default phone region
    QTest::addColumn<QString>("pageRegion");    // a configured page's region
    QTest::newRow("leadgen id prefix") << "10" << QStringList{"106", "105", "104", "103", "102", "101"} << "" << "";
    QTest::newRow("leadgen id") << "103" << QStringList{"103"} << "" << "";
    QTest::newRow("name") << "erika" << QStringList{"102"} << "" << "";
    QTest::newRow("surname prefix") << "Muster" << QStringList{"102"} << "" << "";
    QTest::newRow("phone as typed") << "+49 30 123" << QStringList{"102"} << "" << "";
    // Dialled at home (the national prefix 0, no country code): found with the region's code.
    QTest::newRow("phone dialled in DE, default region DE") << "030 123" << QStringList{"102"} << "DE" << "";
    QTest::newRow("phone dialled in DE, a page's region DE") << "(030) 1234-56" << QStringList{"102"} << "US" << "DE";
    QTest::newRow("phone dialled in DE, regions US only") << "030 123" << QStringList{} << "US" << "";
    QTest::newRow("phone with + is international") << "+30 123" << QStringList{} << "DE" << "";
    // Not processed yet: the phone as the person typed it, found when typed with the same groups.
    QTest::newRow("phone as the person typed it") << "0176 555" << QStringList{"105"} << "" << "";
    QTest::newRow("e-mail") << "erika@example.org" << QStringList{"102"} << "" << "";
    QTest::newRow("error words") << "phone short" << QStringList{"103"} << "" << "";
    QTest::newRow("nothing") << "zebra" << QStringList{} << "" << "";
    QTest::newRow("quotes are text") << "\"erika" << QStringList{"102"} << "" << "";
}

void TestLeadLogModel::textSearch()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QFETCH(QString, defaultRegion);
    QFETCH(QString, pageRegion);
    seedFilterLog();
    if (!pageRegion.isEmpty())
        exec(QStringLiteral("INSERT INTO page_configs (page_id, name, default_region, created_at, "
                            "updated_at) VALUES ('2000000000000002', 'Berlin', '%1', 0, 0)")
                 .arg(pageRegion));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    model->setDefaultPhoneRegion(defaultRegion);
    DeskFilter f;
    f.text = text;
    model->setFilter(f);
    QTRY_VERIFY(!model->isLoading());
    QTRY_VERIFY(model->isCountExact());
    QCOMPARE(ids(model), expected);
}

void TestLeadLogModel::sorting_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("received, oldest first")
        << int(LeadLogModel::ReceivedColumn) << int(Qt::AscendingOrder)
        << QStringList{"101", "102", "103", "104", "105", "106"};
    QTest::newRow("submitted, newest first")
        << int(LeadLogModel::CreatedColumn) << int(Qt::DescendingOrder)
        << QStringList{"106", "104", "103", "102", "101", "105"};
    QTest::newRow("status") << int(LeadLogModel::StatusColumn) << int(Qt::AscendingOrder)
                            << QStringList{"103", "101", "102", "104", "105", "106"};
    QTest::newRow("name") << int(LeadLogModel::NameColumn) << int(Qt::DescendingOrder)
                          << QStringList{"102", "106", "105", "104", "103", "101"};
    QTest::newRow("not sortable: unchanged") << int(LeadLogModel::PhoneColumn)
                                             << int(Qt::AscendingOrder)
                                             << QStringList{"106", "105", "104", "103", "102", "101"};
}

void TestLeadLogModel::sorting()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QStringList, expected);
    seedFilterLog();
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    model->sort(column, Qt::SortOrder(order));
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(ids(model), expected);
}

void TestLeadLogModel::bigLogJumpsAnywhere()
{
    // More rows than one anchor step: reads far from the top go through anchors or the end.
    const int n = int(desk::kAnchorStep * 2 + 345);
    exec(QStringLiteral("BEGIN"));
    QSqlQuery q(m_log->sql());
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO lead_log (leadgen_id, received_at, source, "
                                     "raw_payload, updated_at) VALUES (?, ?, 'webhook', '{}', 0)")));
    for (int i = 0; i < n; ++i) {
        q.addBindValue(QString::number(1000000 + i));
        q.addBindValue(kReceived + i / 3); // ties: the id decides
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    exec(QStringLiteral("COMMIT"));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->rowCount(), n);
    QSignalSpy settled(model, &LeadLogModel::countSettled);
    for (const int row : {0, 9999, 10000, 10001, 15000, 20000, n - 300, n - 1, 5}) {
        const QModelIndex index = model->index(row, 0);
        // Asks for it on every poll, as a view does on every repaint.
        QTRY_VERIFY2_WITH_TIMEOUT((index.data(), model->rowAt(row)), qPrintable(QString::number(row)),
                                  20000);
        QCOMPARE(index.data(LeadLogModel::LeadgenIdRole).toString(),
                 QString::number(1000000 + n - 1 - row));
    }
    // The same with the count unknown at first (a filter the counters cannot answer).
    DeskFilter webhooks;
    webhooks.source = LeadSource::Webhook;
    model->setFilter(webhooks);
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact(), 20000);
    QCOMPARE(model->rowCount(), n);
    for (const int row : {n - 1, 12345}) {
        QTRY_VERIFY2_WITH_TIMEOUT((model->index(row, 0).data(), model->rowAt(row)),
                                  qPrintable(model->lastError()), 20000);
        QCOMPARE(model->rowAt(row)->leadgenId, QString::number(1000000 + n - 1 - row));
    }

    // A text filter matching more than LeadLogQuery::kEagerKeys entries: the first rows come
    // from its ids alone, the keys follow in the background, then jumps go by key.
    DeskFilter text;
    text.text = QStringLiteral("10");
    model->setFilter(text);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 20000);
    QCOMPARE(model->rowAt(0)->leadgenId, QString::number(1000000 + n - 1));
    QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact(), 20000);
    QCOMPARE(model->rowCount(), n);
    for (const int row : {n - 1, 12345, 10000, 3}) {
        QTRY_VERIFY2_WITH_TIMEOUT((model->index(row, 0).data(), model->rowAt(row)),
                                  qPrintable(model->lastError()), 20000);
        QCOMPARE(model->rowAt(row)->leadgenId, QString::number(1000000 + n - 1 - row));
    }
    // A new matching entry shows at the top; one that no longer matches leaves.
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);
    store({incoming(QStringLiteral("1099999"))}, kReceived + n);
    exec(QStringLiteral("UPDATE lead_log SET leadgen_id = 'x' || leadgen_id WHERE leadgen_id = '%1'")
             .arg(1000000 + n - 2));
    model->requestRefresh();
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000);
    QCOMPARE(model->rowCount(), n);
    QCOMPARE(model->rowAt(0)->leadgenId, QStringLiteral("1099999"));
    QCOMPARE(model->rowAt(1)->leadgenId, QString::number(1000000 + n - 1));
    QCOMPARE(model->rowAt(2)->leadgenId, QString::number(1000000 + n - 3));
}

void TestLeadLogModel::textFilterFollowsChanges()
{
    seedFilterLog();
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    DeskFilter f;
    f.text = QStringLiteral("erika");
    model->setFilter(f);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(ids(model), QStringList{"102"});
    QSignalSpy refreshed(model, &LeadLogModel::refreshed);

    // Its payload arrives: the lead is named, and now matches.
    exec(QStringLiteral("UPDATE lead_log SET lead_payload = '%1' WHERE leadgen_id = '104'")
             .arg(QString::fromUtf8(payload(QStringLiteral("Erika Musterfrau"),
                                            QStringLiteral("+4930999"), QStringLiteral("e@m.de")))));
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(ids(model), QStringList({"104", "102"}));
    QVERIFY(model->isCountExact());

    // Corrected to another name: it leaves.
    exec(QStringLiteral("UPDATE lead_log SET lead_payload = '%1' WHERE leadgen_id = '102'")
             .arg(QString::fromUtf8(payload(QStringLiteral("Hans Meier"), QStringLiteral("+4930123"),
                                            QStringLiteral("h@m.de")))));
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 10000);
    QCOMPARE(ids(model), QStringList{"104"});
}

void TestLeadLogModel::countsFollowStatusChanges()
{
    for (int i = 1; i <= 4; ++i)
        store({incoming(QString::number(i))}, kReceived + i);
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    StatusCountModel counts;
    QAbstractItemModelTester tester(&counts, QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect(model, &LeadLogModel::statusCountsChanged, &counts,
            [&] { counts.setCounts(model->statusCounts()); });
    counts.setCounts(model->statusCounts());
    QCOMPARE(counts.index(0).data().toString(), "All leads");
    QCOMPARE(counts.index(0).data(StatusCountModel::CountRole).toLongLong(), 4);
    const int errorRow = StatusCountModel::rowOf(LeadStatus::Error);
    QCOMPARE(counts.index(errorRow).data().toString(), "Error");
    QCOMPARE(counts.index(errorRow).data(StatusCountModel::CountRole).toLongLong(), 0);

    QSignalSpy changed(&counts, &QAbstractItemModel::dataChanged);
    exec(QStringLiteral("UPDATE lead_log SET status = 'error' WHERE leadgen_id IN ('1', '2')"));
    model->requestRefresh();
    QTRY_COMPARE_WITH_TIMEOUT(counts.index(errorRow).data(StatusCountModel::CountRole).toLongLong(),
                              2, 10000);
    QCOMPARE(counts.index(StatusCountModel::rowOf(LeadStatus::Pending))
                 .data(StatusCountModel::CountRole)
                 .toLongLong(),
             2);
    QCOMPARE(counts.total(), 4);
    QVERIFY(changed.count() >= 2);
}

void TestLeadLogModel::leadTextIsPlainText()
{
    const QString markup = QStringLiteral("<b>x</b>");
    const QString script = QStringLiteral("<script>alert(1)</script> & <i>y</i>");
    IncomingLead lead = incoming(QStringLiteral("1"));
    lead.pageId = markup;
    lead.leadPayload = payload(markup, QStringLiteral("1"), QStringLiteral("a@b.c"));
    store({lead}, kReceived);
    exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = '%1'").arg(script));
    LeadLogModel *model = makeModel();
    QVERIFY(model);
    QCOMPARE(model->index(0, LeadLogModel::PageColumn).data().toString(), markup);
    QCOMPARE(model->index(0, LeadLogModel::NameColumn).data().toString(), markup);
    QCOMPARE(model->index(0, LeadLogModel::ErrorColumn).data().toString(), script);
    for (int c = 0; c < model->columnCount(); ++c) {
        for (int role : {int(Qt::ToolTipRole), int(Qt::StatusTipRole), int(Qt::WhatsThisRole),
                         int(Qt::EditRole)})
            QVERIFY(!model->index(0, c).data(role).isValid());
    }
}

void TestLeadLogModel::savedViewSpecs()
{
    QSettings().remove(QStringLiteral("desk"));
    SavedViewModel views;
    QAbstractItemModelTester tester(&views, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(views.rowCount() >= 1);
    QCOMPARE(views.index(0).data().toString(), "Today's errors");
    const QDateTime now(QDate(2025, 11, 22), QTime(15, 0));
    const DeskFilter today = SavedViewModel::toFilter(views.specAt(0), now);
    QCOMPARE(today.statuses, QList<LeadStatus>{LeadStatus::Error});
    QCOMPARE(today.receivedFromMs.value_or(-1), QDateTime(QDate(2025, 11, 22), QTime(0, 0)).toMSecsSinceEpoch());
    QVERIFY(!today.receivedToMs);

    const int row = views.saveView(QStringLiteral("Instagram"), {{"platform", "instagram"}});
    SavedViewModel again; // persisted
    QCOMPARE(again.index(row).data().toString(), "Instagram");
    QCOMPARE(SavedViewModel::toFilter(again.specAt(row), now).platform, "instagram");
    again.removeView(row);
    QCOMPARE(SavedViewModel().rowCount(), again.rowCount());
}

QTEST_GUILESS_MAIN(TestLeadLogModel)
#include "tst_lead_log_model.moc"
