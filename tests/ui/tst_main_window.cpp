// The desk's first window on the offscreen platform, with a real listener and a temporary store.

#include "desk_log.h"
#include "http_test_client.h"
#include "ingest/listener_thread.h"
#include "lead_log_model.h"
#include "lead_status_delegate.h"
#include "main_window.h"
#include "webhook_bodies.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTcpServer>
#include <QTest>
#include <QtConcurrent>

#include <memory>

using namespace leadkeeper;
using leadkeeper::test::HttpTestClient;
using leadkeeper::test::DeskLog;
using leadkeeper::test::TempStore;
using leadkeeper::ui::MainWindow;

namespace {

IncomingLead incoming(const QString &leadgenId, LeadSource source = LeadSource::Import)
{
    return test::deskLead(leadgenId, source, QDateTime::currentMSecsSinceEpoch() - 60000);
}

// Posts a signed webhook from a thread of its own, like Meta would; the result is the HTTP status.
QFuture<int> postFromAnotherThread(quint16 port, const QString &leadgenId)
{
    return QtConcurrent::run([port, leadgenId] {
        HttpTestClient client(QStringLiteral("127.0.0.1"), port);
        if (!client.connectToServer())
            return -1;
        return client.postWebhook(test::singleLeadBody(leadgenId), TempStore::kAppSecret).status;
    });
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyLogShowsWhereToPointMeta();
    void webhookAppearsAtOnce();
    void commitsByAnotherProcessAppear();
    void leadTextIsShownLiterally();
    void newLeadsKeepScrolledRowsInView();
    void listenerFailureShowsARedBanner();
    void statusColoursAreDistinct();
    void filterThenSelect();
    void filterWithoutMatchesSaysSo();

private:
    bool openDesk(const Settings &settings);
    void store(const QList<IncomingLead> &leads, qint64 receivedAtMs);
    QLabel *label(const char *objectName) const;
    QTableView *table() const;

    std::unique_ptr<DeskLog> m_log;
    std::unique_ptr<LeadLogModel> m_model;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    m_log = std::make_unique<DeskLog>();
    QVERIFY(m_log->isValid());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    if (m_listener)
        m_listener->stop();
    m_listener.reset();
    m_model.reset();
    m_log.reset();
}

// What runDesk does, with the test's settings.
bool TestMainWindow::openDesk(const Settings &settings)
{
    QString error;
    auto db = Database::open(settings.databasePath(), &error);
    if (!db) {
        qWarning() << error;
        return false;
    }
    m_model = std::make_unique<LeadLogModel>(std::move(*db));
    m_listener = std::make_unique<ListenerThread>(settings);
    m_window = std::make_unique<MainWindow>(m_model.get(), m_listener.get());
    m_listener->startAsync();
    m_window->show();
    return QTest::qWaitForWindowExposed(m_window.get());
}

void TestMainWindow::store(const QList<IncomingLead> &leads, qint64 receivedAtMs)
{
    QVERIFY(m_log->store(leads, receivedAtMs));
}

QLabel *TestMainWindow::label(const char *objectName) const
{
    return m_window->findChild<QLabel *>(QLatin1String(objectName));
}

QTableView *TestMainWindow::table() const
{
    return m_window->findChild<QTableView *>(QStringLiteral("leadTable"));
}

void TestMainWindow::emptyLogShowsWhereToPointMeta()
{
    QVERIFY(openDesk(m_log->settings()));
    QCOMPARE(m_window->windowTitle(), "Leadkeeper");
    QTRY_VERIFY_WITH_TIMEOUT(m_listener->isListening(), 10000);
    const QString url = QStringLiteral("http://127.0.0.1:%1/webhooks/meta").arg(m_listener->port());

    QCOMPARE(label("listenerStatus")->text(), QStringLiteral("Listening on ") + url);
    QVERIFY(label("listenerStatus")->isVisible());
    QVERIFY(label("emptyHint")->isVisible());
    QVERIFY(!table()->isVisible());
    QCOMPARE(label("emptyHintTitle")->text(), "No leads yet.");
    QVERIFY2(label("emptyHint")->text().contains(QStringLiteral("Point Meta's webhook at ") + url),
             qPrintable(label("emptyHint")->text()));
    QCOMPARE(label("lastWebhookStatus")->text(), "Last webhook: none yet");
    QVERIFY(!label("storeStatus")->isVisible());
}

void TestMainWindow::webhookAppearsAtOnce()
{
    QVERIFY(openDesk(m_log->settings()));
    // Only the listener's deliveryStored signal can bring the row in now, not the poll.
    m_model->stopWatching();
    QTRY_VERIFY_WITH_TIMEOUT(m_listener->isListening(), 10000);

    const QString id = QStringLiteral("1234567890123456789");
    QFuture<int> post = postFromAnotherThread(m_listener->port(), id);
    QTRY_VERIFY_WITH_TIMEOUT(post.isFinished(), 20000);
    QCOMPARE(post.result(), 200);

    // Meta has its 200: the lead is committed and must show up now.
    QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() == 1, 1000);
    QCOMPARE(m_model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(), id);
    QCOMPARE(m_model->index(0, LeadLogModel::StatusColumn).data().toString(), "Pending");
    QCOMPARE(m_model->index(0, LeadLogModel::SourceColumn).data().toString(), "Webhook");
    QTRY_VERIFY(table()->isVisible());
    QVERIFY(!label("emptyHint")->isVisible());

    const QString when = LeadLogModel::formatTime(m_model->rowAt(0)->receivedAtMs);
    QTRY_COMPARE_WITH_TIMEOUT(label("lastWebhookStatus")->text(),
                              QStringLiteral("Last webhook: ") + when, 1000);
}

void TestMainWindow::commitsByAnotherProcessAppear()
{
    QVERIFY(openDesk(m_log->settings()));
    // A `leadkeeper serve` on the same database stores a webhook lead: only the poll can see it.
    const qint64 receivedAt = QDateTime::currentMSecsSinceEpoch();
    store({incoming(QStringLiteral("77"), LeadSource::Webhook)}, receivedAt);
    QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() == 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(
        label("lastWebhookStatus")->text(),
        QStringLiteral("Last webhook: ") + LeadLogModel::formatTime(receivedAt), 5000);

    QSqlQuery q(m_log->sql());
    QVERIFY2(q.exec(QStringLiteral("UPDATE lead_log SET status = 'processed', updated_at = "
                                   "updated_at + 1")),
             qPrintable(q.lastError().text()));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->index(0, LeadLogModel::StatusColumn).data().toString(),
                              "Processed", 5000);
}

void TestMainWindow::leadTextIsShownLiterally()
{
    const QString markup = QStringLiteral("<b>x</b>");
    IncomingLead lead = incoming(QStringLiteral("5"));
    lead.pageId = markup;
    store({lead}, QDateTime::currentMSecsSinceEpoch());
    QSqlQuery q(m_log->sql());
    QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'error', "
                                  "error_message = 'Name <b>x</b> has markup.'")));
    QVERIFY(openDesk(m_log->settings()));
    QTRY_VERIFY(table()->isVisible());

    QTableView *view = table();
    const QModelIndex page = view->model()->index(0, LeadLogModel::PageColumn);
    const QModelIndex error = view->model()->index(0, LeadLogModel::ErrorColumn);
    QCOMPARE(page.data().toString(), markup);
    QCOMPARE(error.data().toString(), "Name <b>x</b> has markup.");

    // The cells are drawn by a plain QStyledItemDelegate, which lays text out as plain text: the
    // cell needs the width of all eight characters, not of a bold "x".
    for (const QModelIndex &index : {page, error}) {
        QAbstractItemDelegate *delegate = view->itemDelegateForIndex(index);
        QVERIFY(delegate);
        QCOMPARE(delegate->metaObject(), &QStyledItemDelegate::staticMetaObject);
        QStyleOptionViewItem option;
        option.initFrom(view);
        const int needed = view->fontMetrics().horizontalAdvance(index.data().toString());
        QVERIFY2(delegate->sizeHint(option, index).width() >= needed,
                 qPrintable(QStringLiteral("%1 < %2")
                                .arg(delegate->sizeHint(option, index).width())
                                .arg(needed)));
    }
    QVERIFY(!page.data(Qt::ToolTipRole).isValid());

    // Selecting the lead shows its whole message, as plain text too.
    QLabel *details = label("selectedLead");
    QVERIFY(!details->isVisible());
    view->selectRow(0);
    QVERIFY(details->isVisible());
    QCOMPARE(details->textFormat(), Qt::PlainText);
    QCOMPARE(details->text(), "Lead 5 · Error: Name <b>x</b> has markup.");
}

void TestMainWindow::newLeadsKeepScrolledRowsInView()
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
    QList<IncomingLead> many;
    for (int i = 1; i <= 200; ++i)
        many << incoming(QString::number(i));
    store(many, start);
    QVERIFY(openDesk(m_log->settings()));
    m_model->stopWatching(); // refreshes come from this test only
    QTableView *view = table();
    QTRY_VERIFY(view->isVisible());
    QTRY_COMPARE(m_model->rowCount(), 200);

    // The user scrolled down and selected a lead.
    QScrollBar *bar = view->verticalScrollBar();
    bar->setValue(100);
    QCOMPARE(bar->value(), 100);
    const QString topBefore =
        view->indexAt(QPoint(4, 4)).data(LeadLogModel::LeadgenIdRole).toString();
    view->selectRow(105);
    const QString selected = m_model->index(105, 0).data(LeadLogModel::LeadgenIdRole).toString();

    QTRY_VERIFY(m_model->rowAt(105));
    store({incoming(QStringLiteral("201")), incoming(QStringLiteral("202")),
           incoming(QStringLiteral("203"))},
          start + 1000);
    m_model->requestRefresh();
    QTRY_COMPARE(m_model->rowCount(), 203);
    QCOMPARE(view->indexAt(QPoint(4, 4)).data(LeadLogModel::LeadgenIdRole).toString(), topBefore);
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data(LeadLogModel::LeadgenIdRole).toString(), selected);
    QTest::qWait(50); // let the view lay itself out again
    QCOMPARE(view->indexAt(QPoint(4, 4)).data(LeadLogModel::LeadgenIdRole).toString(), topBefore);

    // At the top the user is watching for new leads: they appear in view.
    bar->setValue(0);
    store({incoming(QStringLiteral("204"))}, start + 2000);
    m_model->requestRefresh();
    QTRY_COMPARE(m_model->rowCount(), 204);
    QCOMPARE(bar->value(), 0);
    QCOMPARE(view->indexAt(QPoint(4, 4)).data(LeadLogModel::LeadgenIdRole).toString(), "204");
}

void TestMainWindow::listenerFailureShowsARedBanner()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Settings settings = m_log->settings();
    const QString taken = QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort());
    settings.set("listener/address", taken);
    QVERIFY(openDesk(settings));

    QLabel *banner = label("listenerStatus");
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().startsWith(QStringLiteral("Not receiving webhooks: ")),
                             10000);
    QVERIFY2(banner->text().contains(taken), qPrintable(banner->text()));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->styleSheet().contains(QStringLiteral("background: #b91c1c")));
    QVERIFY2(label("emptyHint")->text().contains(taken), qPrintable(label("emptyHint")->text()));
    QVERIFY(!label("emptyHint")->text().contains(QStringLiteral("Point Meta's webhook")));
}

void TestMainWindow::statusColoursAreDistinct()
{
    const QColor light(Qt::white);
    const QColor dark(0x20, 0x20, 0x20);
    QSet<QRgb> seen;
    for (LeadStatus status : kAllStatuses) {
        const QColor onLight = ui::LeadStatusDelegate::statusColor(status, light);
        const QColor onDark = ui::LeadStatusDelegate::statusColor(status, dark);
        seen.insert(onLight.rgb());
        QVERIFY2(onLight.lightness() < 140, "readable on a light background");
        QVERIFY2(onDark.lightness() > 110, "readable on a dark background");
    }
    QCOMPARE(seen.size(), qsizetype(kAllStatuses.size()));
    QCOMPARE(ui::LeadStatusDelegate::statusColor(LeadStatus::Error, light).red() > 150, true);
}

void TestMainWindow::filterThenSelect()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 1; i <= 30; ++i)
        store({incoming(QString::number(100 + i))}, now - 60000 + i);
    QSqlQuery q(m_log->sql());
    QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET status = 'error', error_message = "
                                  "'The phone number 555 is too short.' WHERE leadgen_id IN "
                                  "('105', '117', '122')")));
    QVERIFY(q.exec(QStringLiteral("UPDATE lead_log SET lead_payload = '{\"field_data\":[{\"name\":"
                                  "\"full_name\",\"values\":[\"Erika Mustermann\"]}]}' "
                                  "WHERE leadgen_id = '117'")));
    QVERIFY(openDesk(m_log->settings()));
    QTRY_COMPARE(m_model->rowCount(), 30);

    // The sidebar counts, then a click on Error shows only the three failed leads.
    auto *statuses = m_window->findChild<QListView *>(QStringLiteral("statusList"));
    QVERIFY(statuses);
    const int errorRow = 1 + int(LeadStatus::Error);
    QCOMPARE(statuses->model()->index(errorRow, 0).data().toString(), "Error");
    QTRY_COMPARE(statuses->model()->index(errorRow, 0).data(Qt::UserRole + 2).toLongLong(), 3);
    QTest::mouseClick(statuses->viewport(), Qt::LeftButton, {},
                      statuses->visualRect(statuses->model()->index(errorRow, 0)).center());
    QTRY_COMPARE(m_model->rowCount(), 3);
    QTRY_VERIFY(!m_model->isLoading());
    QCOMPARE(m_model->index(0, 0).data(LeadLogModel::LeadgenIdRole).toString(), "122");
    QVERIFY(label("leadCount")->text().startsWith(QStringLiteral("3 leads of 30")));

    // Typing narrows it after a pause; one query for the whole word.
    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchBox"));
    QVERIFY(search);
    QSignalSpy applied(m_model.get(), &LeadLogModel::filterApplied);
    QTest::keyClicks(search, QStringLiteral("erika"));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QCOMPARE(applied.count(), 1);
    QCOMPARE(m_model->index(0, LeadLogModel::NameColumn).data().toString(), "Erika Mustermann");

    // Selecting the row shows the lead under the table.
    table()->selectRow(0);
    QTRY_VERIFY(label("selectedLead")->isVisible());
    QCOMPARE(label("selectedLead")->text(),
             "Lead 117 · Error: The phone number 555 is too short.");
}

void TestMainWindow::filterWithoutMatchesSaysSo()
{
    store({incoming(QStringLiteral("1"))}, QDateTime::currentMSecsSinceEpoch());
    QVERIFY(openDesk(m_log->settings()));
    QTRY_COMPARE(m_model->rowCount(), 1);
    auto *search = m_window->findChild<QLineEdit *>(QStringLiteral("searchBox"));
    QTest::keyClicks(search, QStringLiteral("nobody"));
    QTRY_COMPARE(m_model->rowCount(), 0);
    QTRY_VERIFY(label("noMatch")->isVisible());
    QVERIFY(table()->isVisible()); // not the getting-started page: the log is not empty
    QCOMPARE(label("noMatch")->text(),
             QStringLiteral("No leads match these filters. Clear filters to see every lead."));
    search->clear();
    QTRY_COMPARE(m_model->rowCount(), 1);
    QTRY_VERIFY(!label("noMatch")->isVisible());

    // An empty status folder (or a saved view of statuses) says so, and where the other leads are:
    // Clear filters is off then, since the filter bar filters nothing.
    DeskFilter loss;
    loss.statuses = {LeadStatus::Loss, LeadStatus::Disabled};
    m_model->setFilter(loss);
    QTRY_VERIFY(label("noMatch")->isVisible());
    QCOMPARE(label("noMatch")->text(),
             QStringLiteral("No Loss or Disabled leads at the moment. Click “All leads” on the left "
                            "to see every lead."));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
