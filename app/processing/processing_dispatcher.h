#pragma once

#include "store/database.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace leadkeeper {

class ProcessingEngine;

/**
 * Feeds due Pending leads to the ProcessingEngine, continuously (leadkeeper serve, the desk).
 *
 * Every tick, and whenever wake() says new leads arrived, it fills the engine's free slots with the
 * oldest due entries, taking pages in turn so one busy page cannot starve the others, and skipping
 * a page Meta asked to slow down until its pause is over. It keeps no state in the database: after a
 * crash or restart it simply finds the Pending entries again.
 */
class ProcessingDispatcher : public QObject
{
    Q_OBJECT
public:
    ProcessingDispatcher(ProcessingEngine &engine, const QString &databasePath, QObject *parent = nullptr);

    bool start(QString *error, int tickMs = 500);
    void stop();
    /// New leads were stored: look now rather than at the next tick.
    void wake();
    /// Pages Meta asked to slow down, and until when (ms since epoch).
    QHash<QString, qint64> pausedPages() const { return m_pausedUntil; }

private:
    void dispatch();

    ProcessingEngine &m_engine;
    QString m_databasePath;
    std::optional<Database> m_db;
    QTimer m_tick;
    QHash<QString, qint64> m_pausedUntil;
    bool m_dispatchQueued = false;
};

} // namespace leadkeeper
