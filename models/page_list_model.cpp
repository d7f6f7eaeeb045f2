#include "page_list_model.h"

namespace leadkeeper {

PageListModel::PageListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void PageListModel::setPages(const QList<PageOverview> &pages)
{
    beginResetModel();
    m_pages = pages;
    endResetModel();
}

int PageListModel::upsert(const PageOverview &page)
{
    for (int i = 0; i < m_pages.size(); ++i) {
        const PageConfig &p = m_pages.at(i).page;
        if ((page.page.id != 0 && p.id == page.page.id) || p.pageId == page.page.pageId) {
            m_pages[i] = page;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
            return i;
        }
    }
    const int at = int(m_pages.size());
    beginInsertRows({}, at, at);
    m_pages.append(page);
    endInsertRows();
    return at;
}

int PageListModel::rowOfPageId(const QString &pageId) const
{
    for (int i = 0; i < m_pages.size(); ++i)
        if (m_pages.at(i).page.pageId == pageId)
            return i;
    return -1;
}

int PageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pages.size());
}

int PageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PageOverview &o = m_pages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return o.page.name;
        case PageIdColumn: return o.page.pageId;
        case StateColumn: return o.page.enabled ? tr("Active") : tr("Paused");
        case TokenColumn: return o.tokenHint;
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == TokenColumn && !o.tokenSet)
            return tr("Leads of this page cannot be fetched from Meta until its access token is set.");
        if (index.column() == StateColumn && !o.page.enabled)
            return tr("New leads of this page wait as Disabled until the page is enabled.");
        return {};
    case PageIdRole:
        return o.page.pageId;
    case EnabledRole:
        return o.page.enabled;
    default:
        return {};
    }
}

QVariant PageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case NameColumn: return tr("Page");
    case PageIdColumn: return tr("Page id");
    case StateColumn: return tr("Processing");
    case TokenColumn: return tr("Access token");
    default: return {};
    }
}

} // namespace leadkeeper
