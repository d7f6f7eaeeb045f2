#include "listener_under_test.h"

#include "serve_process.h"

#include "ingest/listener_thread.h"
#include "settings/settings.h"
#include "store/database.h"

#include <QDir>
#include <QSqlQuery>

namespace leadkeeper::bench {

namespace {

// The acceptor ("webhook-listener"), the handlers ("webhook-handler-N") and the writer
// ("webhook-writer"): the server's CPU is theirs together.
const QString kListenerThread = QStringLiteral("webhook-");

Settings listenerSettings(const QString &databasePath, int threads)
{
    Settings s = Settings::defaults();
    s.set("store/database", databasePath);
    s.set("listener/address", QStringLiteral("127.0.0.1:0"));
    s.set("meta/app_secret", QString::fromUtf8(ListenerUnderTest::appSecret()));
    s.set("meta/verify_token", QStringLiteral("bench-verify-token"));
    if (threads > 0)
        s.set("listener/threads", QString::number(threads));
    return s;
}

} // namespace

const QByteArray &ListenerUnderTest::appSecret()
{
    static const QByteArray secret = "bench-app-secret-0123456789abcdef";
    return secret;
}

ListenerUnderTest::ListenerUnderTest(BenchOptions::Target target, const BenchOptions &options,
                                     const QString &dir)
    : m_databasePath(QDir(dir).filePath(QStringLiteral("listener.db"))),
      m_processing(options.serveProcessing)
{
    if (target == BenchOptions::Target::Serve)
        m_serve = std::make_unique<ServeProcess>(options.serveBinary, dir);
    else
        m_thread = std::make_unique<ListenerThread>(listenerSettings(m_databasePath, options.listenerThreads));
}

ListenerUnderTest::~ListenerUnderTest()
{
    stop();
}

bool ListenerUnderTest::start(QString *error)
{
    if (m_serve) {
        if (!m_serve->start(m_databasePath, appSecret(), m_processing, error))
            return false;
        m_server = {m_processing ? QStringLiteral("serve+processing") : QStringLiteral("serve"),
                    m_serve->port(), m_serve->pid(), kListenerThread};
        return true;
    }
    QObject::connect(m_thread.get(), &ListenerThread::deliveryStored, m_thread.get(),
                     [this](int stored, int, qint64, const QStringList &) { m_stored += stored; });
    if (!m_thread->start(error))
        return false;
    m_server = {QStringLiteral("listener"), m_thread->port(), 0, kListenerThread};
    return true;
}

void ListenerUnderTest::stop()
{
    if (m_serve)
        m_serve->stop();
    else
        m_thread->stop();
}

qint64 ListenerUnderTest::signalledLeads() const
{
    return m_serve ? -1 : m_stored;
}

qint64 ListenerUnderTest::leadLogRows(const QString &databasePath)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    if (!db)
        return -1;
    QSqlQuery query(db->sql());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM lead_log")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace leadkeeper::bench
