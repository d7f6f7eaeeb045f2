// The process's write gate: the listener's writes go before the processing workers' writes, a
// writer that waits too long gets a clear error instead of hanging, and nested writes of one
// thread on two connections do not deadlock.

#include "store/database.h"
#include "store/write_gate.h"
#include "store/write_transaction.h"
#include "temp_store.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSqlQuery>
#include <QStringList>
#include <QTest>
#include <QThread>

using namespace leadkeeper;

namespace {

Database openStore(const QString &path, int busyTimeoutMs = 5000)
{
    Database::Options options;
    options.busyTimeoutMs = busyTimeoutMs;
    QString error;
    auto db = Database::open(path, options, &error);
    if (!db)
        qFatal("cannot open the test database: %s", qPrintable(error));
    return std::move(*db);
}

/// A thread that opens its own connection, writes one rejected-delivery row in a WriteTransaction
/// and records its name in `order` while it holds the write lock.
class Writer : public QThread
{
public:
    Writer(QString path, QString name, bool urgent, QStringList *order, QMutex *mutex)
        : m_path(std::move(path)), m_name(std::move(name)), m_urgent(urgent), m_order(order),
          m_mutex(mutex)
    {
    }
    bool ok = false;

protected:
    void run() override
    {
        WriteGate::markCurrentThreadUrgent(m_urgent);
        Database db = openStore(m_path);
        WriteTransaction tx(db.sql());
        if (!tx.isOpen())
            return;
        {
            QMutexLocker lock(m_mutex);
            m_order->append(m_name);
        }
        QSqlQuery q(db.sql());
        ok = q.exec(QStringLiteral("INSERT INTO lead_log_counts (status, n) VALUES ('%1', 0)")
                        .arg(m_name))
             && tx.commit();
    }

private:
    QString m_path, m_name;
    bool m_urgent;
    QStringList *m_order;
    QMutex *m_mutex;
};

} // namespace

class TestWriteGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urgentWriterGoesBeforeQueuedWorkers();
    void writerWaitingTooLongGetsAClearError();
    void nestedWritesOfOneThreadDoNotDeadlock();
};

void TestWriteGate::urgentWriterGoesBeforeQueuedWorkers()
{
    test::TempStore store;
    const QString path = store.databasePath();
    Database holder = openStore(path);
    const QString file = holder.sql().databaseName();
    QStringList order;
    QMutex mutex;

    auto tx = std::make_unique<WriteTransaction>(holder.sql());
    QVERIFY(tx->isOpen());
    Writer worker1(path, QStringLiteral("worker-1"), false, &order, &mutex);
    Writer worker2(path, QStringLiteral("worker-2"), false, &order, &mutex);
    worker1.start();
    worker2.start();
    QTRY_COMPARE(WriteGate::queue(file).normal, 2);
    Writer listener(path, QStringLiteral("listener"), true, &order, &mutex);
    listener.start();
    QTRY_COMPARE(WriteGate::queue(file).urgent, 1);

    QVERIFY(tx->commit()); // the lock is free: who gets it first?
    tx.reset();
    for (Writer *w : {&worker1, &worker2, &listener})
        QVERIFY(w->wait(10000));
    QCOMPARE(order.size(), 3);
    QCOMPARE(order.first(), QStringLiteral("listener"));
    QVERIFY(worker1.ok && worker2.ok && listener.ok);
    const WriteGate::Queue after = WriteGate::queue(file);
    QVERIFY(!after.held);
    QCOMPARE(after.urgent + after.normal, 0);
}

void TestWriteGate::writerWaitingTooLongGetsAClearError()
{
    test::TempStore store;
    Database holder = openStore(store.databasePath());
    WriteTransaction held(holder.sql());
    QVERIFY(held.isOpen());

    QString error;
    bool opened = true;
    QThread *t = QThread::create([&] {
        Database other = openStore(store.databasePath(), 200);
        WriteTransaction tx(other.sql());
        opened = tx.isOpen();
        error = tx.errorText();
    });
    t->start();
    QVERIFY(t->wait(10000));
    delete t;
    QVERIFY(!opened);
    QVERIFY2(error.contains(QLatin1String("database is locked")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("200 ms")), qPrintable(error));
    QVERIFY(held.commit());
}

void TestWriteGate::nestedWritesOfOneThreadDoNotDeadlock()
{
    test::TempStore store;
    Database first = openStore(store.databasePath(), 300);
    Database second = openStore(store.databasePath(), 300);
    WriteTransaction outer(first.sql());
    QVERIFY(outer.isOpen());
    QElapsedTimer timer;
    timer.start();
    {
        // SQLite itself refuses the second writer (after its busy timeout); the gate adds no hang.
        WriteTransaction inner(second.sql());
        QVERIFY(!inner.isOpen());
    }
    QVERIFY2(timer.elapsed() < 5000, "the nested writer waited on the gate for itself");
    QVERIFY(outer.commit());
    WriteTransaction after(second.sql()); // and the gate is free again
    QVERIFY(after.isOpen());
    QVERIFY(after.commit());
}

QTEST_GUILESS_MAIN(TestWriteGate)
#include "tst_write_gate.moc"
