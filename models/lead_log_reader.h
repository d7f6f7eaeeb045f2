#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace leadkeeper {

class LeadLogQuery;

/**
 * The desk's reader thread: runs read jobs against a connection of its own, one at a time, in the
 * order they were posted.
 *
 * Contract: post() may be called from the thread that made the reader; each job runs on the
 * reader thread with a LeadLogQuery on the reader's connection (opened by the first job; when it
 * cannot be opened, jobs get nullptr and the error through openError()). A job hands results back
 * itself, with QMetaObject::invokeMethod on an object of the caller's thread. The destructor waits
 * for the running job, drops the others and closes the connection; so an object that owns a reader
 * and receives its results destroys the reader first.
 */
class LeadLogReader
{
public:
    using Job = std::function<void(LeadLogQuery *query, const QString &openError)>;

    explicit LeadLogReader(QString databasePath);
    ~LeadLogReader();
    LeadLogReader(const LeadLogReader &) = delete;
    LeadLogReader &operator=(const LeadLogReader &) = delete;

    void post(Job job);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr; ///< lives in m_thread, deleted there when it finishes
};

} // namespace leadkeeper
