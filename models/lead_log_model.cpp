// LeadLogModel: the table and how its rows are loaded (following the store is in
// lead_log_model_refresh.cpp, what the cells say in lead_log_model_text.cpp).

#include "lead_log_model_post.h"

#include <algorithm>
#include <climits>

namespace leadkeeper {

namespace {

// How long one anchor-walk job may read before the reader takes the next row request.
constexpr int kWalkBudgetMs = 25;

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
    m_view.days = std::move(reset.days);
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
    if (m_view.days) // anchors inside long days come in any order
        std::stable_sort(m_view.anchors.begin(), m_view.anchors.end(), desk::Anchor::byRow);
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

void LeadLogModel::setDefaultPhoneRegion(const QString &region)
{
    m_reader->post([region](LeadLogQuery *query, const QString &) {
        if (query)
            query->setDefaultPhoneRegion(region);
    });
}

void LeadLogModel::fail(const QString &error)
{
    m_lastError = error;
    Q_EMIT refreshed(false);
}


} // namespace leadkeeper
