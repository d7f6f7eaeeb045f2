#include "lead_log_model.h"

#include "lead_log_reader.h"

#include <QDateTime>

#include <climits>

namespace leadkeeper {

namespace {

// How long one anchor-walk job may read before the reader takes the next row request.
constexpr int kWalkBudgetMs = 25;

bool sameCells(const DeskRow &a, const DeskRow &b)
{
    return a.id == b.id && a.updatedAtMs == b.updatedAtMs && a.status == b.status &&
           a.name == b.name && a.phone == b.phone && a.email == b.email &&
           a.errorMessage == b.errorMessage && a.pageName == b.pageName &&
           a.formName == b.formName && a.platform == b.platform && a.deliveries == b.deliveries &&
           a.createdAtMs == b.createdAtMs && a.organic == b.organic;
}

} // namespace

LeadLogModel::LeadLogModel(Database database, QObject *parent)
    : QAbstractTableModel(parent), m_db(std::move(database)),
      m_reader(std::make_unique<LeadLogReader>(m_db.path()))
{
    m_fetchTimer.setSingleShot(true);
    m_fetchTimer.setInterval(0);
    connect(&m_fetchTimer, &QTimer::timeout, this, &LeadLogModel::fetchWanted);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LeadLogModel::refresh);
    connect(&m_watchTimer, &QTimer::timeout, this, &LeadLogModel::pollForChanges);
    m_sinceRefresh.start();
    startReset();
}

LeadLogModel::~LeadLogModel()
{
    // First the reader: no job may run, or hand a result back, once this object is going.
    m_reader.reset();
}

// Runs `read` on the reader thread and `apply(current, result, error, shift)` back here; results
// of an older generation arrive with current false, and `shift` is the number of rows inserted at
// the top since the job was posted (its positions are that much too small). A read whose
// generation is over before it starts is not run (unless runWhenStale): a text filter typed
// letter by letter would otherwise build the match set of every prefix.
template<typename Result, typename Read, typename Apply>
void LeadLogModel::post(Read read, Apply apply, bool runWhenStale)
{
    const quint64 generation = m_generation;
    const qint64 shift = m_topShift;
    m_reader->post([this, generation, shift, runWhenStale, read = std::move(read),
                    apply = std::move(apply)](LeadLogQuery *query, const QString &openError) {
        QString error = openError;
        std::optional<Result> result;
        if (query && (runWhenStale || generation == m_generation.load()))
            result = read(*query, &error);
        QMetaObject::invokeMethod(
            this,
            [this, generation, shift, apply, result = std::move(result), error]() mutable {
                apply(generation == m_generation, std::move(result), error, m_topShift - shift);
            },
            Qt::QueuedConnection);
    });
}

int LeadLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(qMin<qint64>(m_view.count, INT_MAX));
}

int LeadLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const DeskRow *LeadLogModel::rowAt(int row) const
{
    const qint64 at = row - m_windowFirst;
    if (at < 0 || at >= m_window.size() || row >= m_view.count)
        return nullptr;
    return &m_window.at(at);
}

QVariant LeadLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeskRow *row = rowAt(index.row());
    if (!row) {
        // Not loaded: ask for it once this event-loop turn has collected what the view wants.
        if (role == Qt::DisplayRole && !m_resetPending) {
            m_wantedRow = index.row();
            if (!m_fetchTimer.isActive())
                m_fetchTimer.start();
        }
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*row, index.column());
    case EntryIdRole:
        return row->id;
    case LeadgenIdRole:
        return row->leadgenId;
    case StatusRole:
        return int(row->status);
    case ReceivedAtRole:
        return row->receivedAtMs;
    default:
        return {};
    }
}

void LeadLogModel::sort(int column, Qt::SortOrder order)
{
    if (const auto key = sortKeyForColumn(column))
        setSortOrder({*key, order == Qt::DescendingOrder});
}

std::optional<DeskSortKey> LeadLogModel::sortKeyForColumn(int column)
{
    switch (column) {
    case ReceivedColumn:
        return DeskSortKey::Received;
    case CreatedColumn:
        return DeskSortKey::Created;
    case StatusColumn:
        return DeskSortKey::Status;
    case NameColumn:
        return DeskSortKey::Name;
    default:
        return std::nullopt;
    }
}

void LeadLogModel::setFilter(const DeskFilter &filter)
{
    if (filter == m_view.filter)
        return;
    m_view.filter = filter;
    startReset();
}

void LeadLogModel::setSortOrder(const DeskSort &sort)
{
    if (sort == m_view.sort)
        return;
    m_view.sort = sort;
    startReset();
}

void LeadLogModel::startReset()
{
    ++m_generation;
    m_resetPending = true;
    m_walking = m_rowsInFlight = m_refreshInFlight = false;
    m_refreshTimer.stop();
    m_sinceRefresh.start();
    m_db.changedElsewhere(); // the reset reads everything committed up to now
    post<desk::Reset>(
        [filter = m_view.filter, sort = m_view.sort](LeadLogQuery &q, QString *error) {
            return desk::loadReset(q, filter, sort, kWindowSize, error);
        },
        [this](bool current, std::optional<desk::Reset> reset, const QString &error, qint64) {
            if (!current)
                return;
            if (!reset) {
                m_resetPending = false;
                return fail(error);
            }
            applyReset(std::move(*reset));
        });
}

void LeadLogModel::applyReset(desk::Reset reset)
{
    beginResetModel();
    m_view.count = reset.count;
    m_view.countExact = reset.countExact;
    m_view.topKey = reset.rows.isEmpty() ? std::nullopt : std::optional(reset.rows.first().key);
    m_view.anchors.clear();
    m_windowFirst = 0;
    m_window = std::move(reset.rows);
    m_resetPending = false;
    endResetModel();

    m_lastError.clear();
    m_lastWebhookMs = reset.lastWebhookMs;
    if (reset.statusCounts != m_statusCounts) {
        m_statusCounts = reset.statusCounts;
        Q_EMIT statusCountsChanged();
    }
    Q_EMIT refreshed(true);
    Q_EMIT filterApplied();
    if (m_view.countExact)
        Q_EMIT countSettled();
    continueWalk();
    if (m_refreshAgain) {
        m_refreshAgain = false;
        requestRefresh();
    }
}

void LeadLogModel::continueWalk()
{
    if (m_walking || !m_view.topKey || (m_view.countExact && m_view.count <= desk::kAnchorStep))
        return;
    m_walking = true;
    post<desk::Walk>(
        [view = m_view](LeadLogQuery &q, QString *error) {
            return desk::walkAnchors(q, view, kWalkBudgetMs, error);
        },
        [this](bool current, std::optional<desk::Walk> walk, const QString &error, qint64 shift) {
            if (!current)
                return;
            m_walking = false;
            if (!walk)
                return fail(error);
            applyWalk(std::move(*walk), shift);
        });
}

void LeadLogModel::applyWalk(desk::Walk walk, qint64 shift)
{
    for (desk::Anchor &a : walk.anchors) {
        a.row += shift;
        m_view.anchors << std::move(a);
    }
    if (walk.count) {
        if (!m_view.countExact) {
            setCount(*walk.count + shift);
            m_view.countExact = true;
            Q_EMIT countSettled();
        }
        return;
    }
    if (!m_view.countExact && !m_view.anchors.isEmpty())
        setCount(qMax(m_view.count, m_view.anchors.last().row + 1));
    continueWalk();
}

void LeadLogModel::setCount(qint64 count)
{
    const int now = rowCount();
    const int next = int(qMin<qint64>(count, INT_MAX));
    if (next > now) {
        beginInsertRows({}, now, next - 1);
        m_view.count = count;
        endInsertRows();
    } else if (next < now) {
        beginRemoveRows({}, next, now - 1);
        m_view.count = count;
        endRemoveRows();
    } else {
        m_view.count = count;
    }
}

void LeadLogModel::fetchWanted()
{
    if (m_rowsInFlight || m_resetPending || !m_wantedRow)
        return;
    const qint64 wanted = *m_wantedRow;
    m_wantedRow.reset();
    if (wanted >= m_view.count || rowAt(int(wanted)))
        return;
    // A window around the row, most of it below: views ask from the top row down.
    const qint64 first =
        qBound<qint64>(0, wanted - kWindowSize / 3, qMax<qint64>(0, m_view.count - kWindowSize));
    const int length = int(qMin<qint64>(kWindowSize, m_view.count - first));
    m_rowsInFlight = true;
    post<QList<DeskRow>>(
        [view = m_view, first, length](LeadLogQuery &q, QString *error) {
            return desk::loadRows(q, view, first, length, error);
        },
        [this, first, wanted](bool current, std::optional<QList<DeskRow>> rows,
                              const QString &error, qint64 shift) {
            if (!current) {
                // Dropped as stale: ask again, or the row stays blank until the view repaints.
                if (!m_wantedRow)
                    m_wantedRow = wanted;
                if (!m_fetchTimer.isActive())
                    m_fetchTimer.start();
                return;
            }
            m_rowsInFlight = false;
            if (!rows)
                return fail(error);
            applyRows(first + shift, std::move(*rows), shift);
        });
}

void LeadLogModel::applyRows(qint64 first, QList<DeskRow> rows, qint64)
{
    m_windowFirst = first;
    m_window = std::move(rows);
    const qint64 last = qMin<qint64>(first + m_window.size(), m_view.count) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(int(first), 0), index(int(last), ColumnCount - 1));
    Q_EMIT rowsLoaded();
    if (m_wantedRow)
        m_fetchTimer.start();
}

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
        m_view.topKey = r.topKey;
        endInsertRows();
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

void LeadLogModel::loadChoices()
{
    using Choices = std::pair<QList<LeadLogQuery::Choice>, QList<LeadLogQuery::Choice>>;
    post<Choices>(
        [](LeadLogQuery &q, QString *error) -> std::optional<Choices> {
            auto pages = q.pages(error);
            auto forms = pages ? q.forms(error) : std::nullopt;
            if (!forms)
                return std::nullopt;
            return Choices{*pages, *forms};
        },
        [this](bool, std::optional<Choices> choices, const QString &error, qint64) {
            if (!choices)
                return fail(error);
            Q_EMIT choicesLoaded(choices->first, choices->second);
        },
        true);
}

void LeadLogModel::fail(const QString &error)
{
    m_lastError = error;
    Q_EMIT refreshed(false);
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
