// LeadLogModel: following the store. New rows at the top, changed rows in place, rows that left
// or joined the filter, and the commits of other processes (PRAGMA data_version).

#include "lead_log_model_post.h"

namespace leadkeeper {

namespace {

// The values a row shows are the same (a refresh repaints only the rows whose values changed).
bool sameCells(const DeskRow &a, const DeskRow &b)
{
    return a.id == b.id && a.updatedAtMs == b.updatedAtMs && a.status == b.status &&
           a.name == b.name && a.phone == b.phone && a.email == b.email &&
           a.errorMessage == b.errorMessage && a.pageName == b.pageName &&
           a.formName == b.formName && a.platform == b.platform && a.deliveries == b.deliveries &&
           a.createdAtMs == b.createdAtMs && a.organic == b.organic;
}

} // namespace

void LeadLogModel::requestRefresh()
{
    if (m_refreshTimer.isActive())
        return;
    const qint64 interval = qMax<qint64>(kMinRefreshInterval.count(), 2 * m_refreshCostMs);
    const qint64 wait = interval - m_sinceRefresh.elapsed();
    m_refreshTimer.start(int(qMax<qint64>(0, wait)));
}

void LeadLogModel::refresh()
{
    if (m_resetPending || m_refreshInFlight) {
        m_refreshAgain = true;
        return;
    }
    if (m_view.count == 0) // nothing to keep in place: read it all afresh
        return startReset();
    m_sinceRefresh.start();
    m_db.changedElsewhere(); // a commit after this shows at the next poll, one before is read
    m_refreshInFlight = true;
    const qint64 first = m_windowFirst;
    const int length = int(m_window.size());
    post<desk::Refresh>(
        [view = m_view, first, length](LeadLogQuery &q, QString *error) {
            return desk::loadRefresh(q, view, first, length, error);
        },
        [this](bool current, std::optional<desk::Refresh> refresh, const QString &error, qint64) {
            if (!current)
                return;
            m_refreshInFlight = false;
            m_refreshCostMs = m_sinceRefresh.elapsed();
            if (!refresh)
                return fail(error);
            applyRefresh(std::move(*refresh));
        });
}

void LeadLogModel::applyRefresh(desk::Refresh r)
{
    if (r.head >= 1'000'000)
        return startReset();
    if (r.head > 0) {
        beginInsertRows({}, 0, int(r.head - 1));
        m_view.count += r.head;
        m_topShift += r.head;
        m_windowFirst += r.head;
        for (desk::Anchor &a : m_view.anchors)
            a.row += r.head;
        if (m_view.days)
            for (desk::Anchor &a : *m_view.days)
                a.row += r.head;
        m_view.topKey = r.topKey;
        endInsertRows();
    }
    // Days that moved other than by the new rows at the top: entries left or joined the filter
    // somewhere, so the anchors placed inside long days are off; they are placed again.
    bool replaceAnchors = false;
    if (r.days) {
        replaceAnchors = m_view.days != r.days && !m_view.anchors.isEmpty();
        m_view.days = std::move(r.days);
    }
    // Rows left or joined the filter below the top (a status change under a status filter):
    // the positions after them moved. Keep what can be kept, by entry id.
    bool moved = r.count && *r.count != m_view.count;
    for (qsizetype i = 0; i < r.window.size() && !moved; ++i) {
        const qint64 old = r.windowFirst + i - m_windowFirst;
        if (old >= 0 && old < m_window.size())
            moved = m_window.at(old).id != r.window.at(i).id;
    }
    if (!moved && r.windowFirst == m_windowFirst && r.window.size() < m_window.size())
        moved = m_windowFirst + r.window.size() < m_view.count; // rows gone from the end
    if (moved) {
        ++m_generation;
        m_walking = m_rowsInFlight = false;
        Q_EMIT layoutAboutToBeChanged();
        QHash<qint64, int> newRows;
        for (qsizetype i = 0; i < r.window.size(); ++i)
            newRows.insert(r.window.at(i).id, int(r.windowFirst + i));
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        for (const QModelIndex &p : from) {
            const DeskRow *row = rowAt(p.row());
            const int newRow = row ? newRows.value(row->id, -1) : -1;
            to << (newRow < 0 ? QModelIndex() : createIndex(newRow, p.column()));
        }
        m_windowFirst = r.windowFirst;
        m_window = std::move(r.window);
        m_view.anchors.clear();
        if (r.count) {
            m_view.count = *r.count;
        } else {
            m_view.countExact = false;
        }
        changePersistentIndexList(from, to);
        Q_EMIT layoutChanged();
        continueWalk();
    } else if (r.windowFirst != m_windowFirst) {
        // The window grew over the new rows at the top: take it whole.
        m_windowFirst = r.windowFirst;
        m_window = std::move(r.window);
        if (!m_window.isEmpty())
            Q_EMIT dataChanged(index(int(m_windowFirst), 0),
                               index(int(qMin<qint64>(m_windowFirst + m_window.size(), m_view.count) - 1),
                                     ColumnCount - 1));
    } else {
        // Same rows in the same places: repaint the ones whose values changed.
        qsizetype i = 0;
        while (i < m_window.size() && i < r.window.size()) {
            if (sameCells(m_window.at(i), r.window.at(i))) {
                ++i;
                continue;
            }
            const qsizetype begin = i;
            while (i < m_window.size() && i < r.window.size() &&
                   !sameCells(m_window.at(i), r.window.at(i))) {
                m_window[i] = r.window.at(i);
                ++i;
            }
            Q_EMIT dataChanged(index(int(m_windowFirst + begin), 0),
                               index(int(m_windowFirst + i - 1), ColumnCount - 1));
        }
        if (r.window.size() > m_window.size())
            m_window = std::move(r.window);
    }
    if (replaceAnchors && !moved) {
        // Reads under way placed their rows by the days as they were: dropped (rows asked for
        // are asked again).
        ++m_generation;
        m_walking = m_rowsInFlight = false;
        m_view.anchors.clear();
        continueWalk();
    }
    m_lastError.clear();
    if (r.lastWebhookMs)
        m_lastWebhookMs = r.lastWebhookMs;
    if (r.statusCounts != m_statusCounts) {
        m_statusCounts = r.statusCounts;
        Q_EMIT statusCountsChanged();
    }
    Q_EMIT refreshed(true);
    if (m_refreshAgain) {
        m_refreshAgain = false;
        requestRefresh();
    }
}

void LeadLogModel::pollForChanges()
{
    if (m_db.changedElsewhere())
        requestRefresh();
}

void LeadLogModel::startWatching(std::chrono::milliseconds interval)
{
    m_watchTimer.start(interval);
}

void LeadLogModel::stopWatching()
{
    m_watchTimer.stop();
}

} // namespace leadkeeper
