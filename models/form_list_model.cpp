#include "form_list_model.h"

#include "config/fetched_form_store.h"

#include <QLocale>

namespace leadkeeper {

FormListModel::FormListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void FormListModel::setForms(const QList<FormMapping> &stored)
{
    beginResetModel();
    m_entries.clear();
    for (const FormMapping &f : stored)
        m_entries.append({f, {}});
    endResetModel();
}

void FormListModel::setWaiting(const QHash<QString, int> &unconfiguredByForm)
{
    m_waiting = unconfiguredByForm;
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, MappingColumn), index(int(m_entries.size()) - 1, MappingColumn));
}

int FormListModel::mergeFetched(const QList<GraphForm> &fetched)
{
    int added = 0;
    for (const GraphForm &g : fetched) {
        const int row = rowOfFormId(g.id);
        if (row >= 0) {
            Entry &e = m_entries[row];
            e.metaStatus = g.status;
            e.form.questions = FetchedFormStore::questionsJson(g);
            if (e.form.formName.isEmpty() || e.form.id == 0)
                e.form.formName = g.name;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        Entry e;
        e.form.formId = g.id;
        e.form.formName = g.name;
        e.form.questions = FetchedFormStore::questionsJson(g);
        e.metaStatus = g.status;
        const int at = int(m_entries.size());
        beginInsertRows({}, at, at);
        m_entries.append(e);
        endInsertRows();
        ++added;
    }
    return added;
}

int FormListModel::upsert(const FormMapping &stored)
{
    const int row = rowOfFormId(stored.formId);
    if (row >= 0) {
        m_entries[row].form = stored;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return row;
    }
    const int at = int(m_entries.size());
    beginInsertRows({}, at, at);
    m_entries.append({stored, {}});
    endInsertRows();
    return at;
}

int FormListModel::rowOfFormId(const QString &formId) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).form.formId == formId)
            return i;
    return -1;
}

int FormListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int FormListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FormListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == MappingColumn && e.form.id == 0)
        return tr("Leads from this form wait as Unconfigured until its questions are mapped.");
    if (role == Qt::ToolTipRole && index.column() == MetaStatusColumn && e.metaStatus.isEmpty())
        return tr("Fetch forms from Meta to see whether Meta still lists this form.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return e.form.formName.isEmpty() ? tr("(no name)") : e.form.formName;
    case FormIdColumn: return e.form.formId;
    case MetaStatusColumn:
        if (e.metaStatus.isEmpty())
            return tr("not fetched");
        return e.metaStatus.left(1).toUpper() + e.metaStatus.mid(1).toLower();
    case MappingColumn:
        if (e.form.id == 0) {
            const int waiting = m_waiting.value(e.form.formId);
            return waiting == 0   ? tr("Not mapped")
                   : waiting == 1 ? tr("Not mapped — 1 lead waits")
                                  : tr("Not mapped — %1 leads wait").arg(QLocale().toString(waiting));
        }
        if (!e.form.enabled)
            return tr("Paused (form disabled)");
        return e.form.rows.size() == 1 ? tr("1 question mapped")
                                       : tr("%1 questions mapped").arg(e.form.rows.size());
    default: return {};
    }
}

QVariant FormListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case NameColumn: return tr("Form");
    case FormIdColumn: return tr("Form id");
    case MetaStatusColumn: return tr("On Meta");
    case MappingColumn: return tr("Mapping");
    default: return {};
    }
}

} // namespace leadkeeper
