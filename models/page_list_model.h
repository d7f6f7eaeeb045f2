#pragma once

#include "config/page_admin.h"

#include <QAbstractTableModel>
#include <QList>

namespace leadkeeper {

/**
 * The connected Facebook pages as the Pages dialog lists them: one row per PageOverview, columns
 * Name, Page id, Leads (processed / paused), Access token (its hint, never the token).
 *
 * The rows are given whole (setPages(), after PageAdmin::loadPages() ran on a worker thread) or one
 * at a time (upsert(), after a save); the model never touches the store. GUI-thread only.
 */
class PageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, PageIdColumn, StateColumn, TokenColumn, ColumnCount };
    enum Role { PageIdRole = Qt::UserRole + 1, EnabledRole };

    explicit PageListModel(QObject *parent = nullptr);

    void setPages(const QList<PageOverview> &pages);
    /// Replaces the row with the same page config id (or page id), else appends; returns its row.
    int upsert(const PageOverview &page);
    const PageOverview &pageAt(int row) const { return m_pages.at(row); }
    /// Row of the page with this Meta page id, or -1.
    int rowOfPageId(const QString &pageId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<PageOverview> m_pages;
};

} // namespace leadkeeper
