#include "lead_log_reader.h"

#include "store/database.h"
#include "store/lead_log_query.h"

#include <optional>

namespace leadkeeper {

class LeadLogReader::Worker : public QObject
{
public:
    explicit Worker(QString path) : m_path(std::move(path)) {}

    void run(const Job &job)
    {
        if (!m_db && m_openError.isEmpty()) {
            Database::Options options;
            options.createIfMissing = false;
            auto db = Database::open(m_path, options, &m_openError);
            if (db) {
                m_db.emplace(std::move(*db));
                m_query = std::make_unique<LeadLogQuery>(m_db->sql());
            }
        }
        // One snapshot per job: a count and the rows read with it agree.
        const bool snapshot = m_db && m_db->sql().transaction();
        job(m_query.get(), m_openError);
        if (snapshot)
            m_db->sql().commit();
    }

    ~Worker() override
    {
        m_query.reset();
        m_db.reset();
    }

private:
    QString m_path;
    QString m_openError;
    std::optional<Database> m_db;
    std::unique_ptr<LeadLogQuery> m_query;
};

LeadLogReader::LeadLogReader(QString databasePath)
{
    m_thread.setObjectName(QStringLiteral("LeadLogReader"));
    m_worker = new Worker(std::move(databasePath));
    m_worker->moveToThread(&m_thread);
    // The connection belongs to the reader thread: it is closed there too.
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

LeadLogReader::~LeadLogReader()
{
    m_thread.quit();
    m_thread.wait();
}

void LeadLogReader::post(Job job)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job = std::move(job)] { worker->run(job); },
        Qt::QueuedConnection);
}

} // namespace leadkeeper
