#pragma once

#include "meta/graph_client.h"
#include "processing/mapping_types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace leadkeeper {

/**
 * The lead forms of one page: the stored form mappings plus the forms Meta listed that are not
 * mapped yet. Columns Form, Form id, On Meta (Active, Archived, or "not fetched" when the page's
 * last fetch did not list the form, or the page was never fetched), Mapping ("Not mapped — leads
 * wait", "6 questions mapped", "Paused").
 *
 * The caller gives the page's mappings (setForms()) and then what Meta listed (mergeFetched()):
 * the page's last fetch as PageAdmin::loadPages() read it from the store, or the answer of a fetch
 * just made. A fetched form is never written by this model, and the store keeps fetched forms
 * apart from the mappings: a form becomes a stored mapping only when its mapping is saved (a
 * stored mapping counts as mapped for the pipeline, DESIGN.md §5 step 1). Merging refreshes the
 * questions and names of stored forms in memory, for the mapping editor.
 * GUI-thread only; no I/O.
 */
class FormListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, FormIdColumn, MetaStatusColumn, MappingColumn, ColumnCount };

    struct Entry
    {
        FormMapping form;   ///< form.id == 0: not stored (not mapped)
        QString metaStatus; ///< as Meta gave it ("ACTIVE"); "" when the last fetch did not list it
    };

    explicit FormListModel(QObject *parent = nullptr);

    void setForms(const QList<FormMapping> &stored);
    /// Adds the fetched forms that are not listed yet and refreshes the listed ones; returns how
    /// many forms were new.
    int mergeFetched(const QList<GraphForm> &fetched);
    /// Replaces the entry of the same form id by the stored mapping; returns its row.
    int upsert(const FormMapping &stored);
    /// Unconfigured leads per form id: an unmapped form says how many wait for its mapping.
    void setWaiting(const QHash<QString, int> &unconfiguredByForm);
    const Entry &entryAt(int row) const { return m_entries.at(row); }
    int rowOfFormId(const QString &formId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Entry> m_entries;
    QHash<QString, int> m_waiting;
};

} // namespace leadkeeper
