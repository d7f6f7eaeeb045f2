#include "error_count_watcher.h"

#include "store/status_count.h"

#include <QtConcurrent/QtConcurrentRun>

namespace leadkeeper {

ErrorCountWatcher::ErrorCountWatcher(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
{
    m_pool.setMaxThreadCount(1);
    m_pace.setSingleShot(true);
    m_pace.setInterval(minIntervalMs());
    connect(&m_pace, &QTimer::timeout, this, [this] {
        if (m_again && !m_watcher.isRunning())
            startCount();
    });
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &ErrorCountWatcher::onFinished);
}

ErrorCountWatcher::~ErrorCountWatcher()
{
    // The count holds no pointer to this object; waiting keeps its connection from outliving
    // the application's teardown.
    m_watcher.waitForFinished();
}

void ErrorCountWatcher::refresh()
{
    if (m_watcher.isRunning() || m_pace.isActive()) {
        m_again = true;
        return;
    }
    startCount();
}

void ErrorCountWatcher::startCount()
{
    m_again = false;
    m_pace.start();
    const QString path = m_databasePath;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [path] {
        Result r;
        r.count = StatusCount::count(path, LeadStatus::Error, &r.error);
        return r;
    }));
}

void ErrorCountWatcher::onFinished()
{
    const Result r = m_watcher.result();
    if (r.count) {
        const int before = m_count;
        m_count = *r.count;
        if (before != m_count)
            Q_EMIT countChanged(m_count, before >= 0 && m_count > before ? m_count - before : 0);
    } else {
        Q_EMIT failed(r.error);
    }
    if (m_again && !m_pace.isActive())
        startCount(); // else the pace timer starts it
}

} // namespace leadkeeper
