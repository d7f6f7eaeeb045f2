#include "correction_model.h"

#include "processing/lead_field.h"
#include "processing/lead_mapper.h"

#include <QHash>

namespace leadkeeper {

namespace {

QString errorValue(const QList<FieldError> &errors, const QString &field)
{
    for (const FieldError &e : errors)
        if (e.field == field)
            return e.value;
    return {};
}

} // namespace

CorrectionModel::CorrectionModel(QObject *parent) : QAbstractTableModel(parent) {}

void CorrectionModel::setLead(const LeadDetails &details)
{
    beginResetModel();
    m_rows.clear();
    m_leadgenId = details.entry.leadgenId;
    m_form = details.form;
    m_payload = details.entry.leadPayload;
    m_corrections = details.corrections;
    m_region = details.region;

    // The latest correction per field, as LeadMapper applies them.
    QHash<QString, Correction> fieldCorrections;
    QStringList correctedFields;
    for (const Correction &c : details.corrections) {
        if (!c.target.startsWith(QLatin1String("field:")))
            continue;
        const QString field = c.target.mid(6);
        const auto it = fieldCorrections.find(field);
        if (it == fieldCorrections.end()) {
            fieldCorrections.insert(field, c);
            correctedFields << field;
        } else if (c.atMs >= it->atMs) {
            *it = c;
        }
    }

    QStringList fields;
    QHash<QString, QString> questionOf;
    if (details.form) {
        for (const MappingRow &row : details.form->rows) {
            if (!LeadField::isKnown(row.leadField) || fields.contains(row.leadField))
                continue;
            fields << row.leadField;
            questionOf.insert(row.leadField, row.questionKey.trimmed());
        }
    }
    for (const FieldError &e : details.fieldErrors)
        if (LeadField::isKnown(e.field) && !fields.contains(e.field))
            fields << e.field;
    for (const QString &f : std::as_const(correctedFields))
        if (LeadField::isKnown(f) && !fields.contains(f))
            fields << f;

    LeadMapper::Result plain;
    LeadMapper::Result effective;
    const bool canMap = details.form && !details.entry.leadPayload.isEmpty();
    if (canMap) {
        plain = LeadMapper::map(details.entry.leadPayload, *details.form, {}, details.region);
        effective = LeadMapper::map(details.entry.leadPayload, *details.form, details.corrections,
                                    details.region);
    }

    for (const QString &field : std::as_const(fields)) {
        Row row;
        row.field = field;
        row.questionKey = questionOf.value(field);
        row.original = plain.lead.value(field);
        if (row.original.isEmpty())
            row.original = errorValue(plain.errors, field);
        if (fieldCorrections.contains(field)) {
            row.inEffect = fieldCorrections.value(field).value;
        } else {
            row.inEffect = effective.lead.value(field);
            if (row.inEffect.isEmpty())
                row.inEffect = errorValue(effective.errors, field);
            if (!canMap)
                row.inEffect = errorValue(details.fieldErrors, field);
        }
        row.corrected = row.inEffect;
        for (const FieldError &e : details.fieldErrors)
            if (e.field == field) {
                row.error = e.message;
                break;
            }
        m_rows << row;
    }
    endResetModel();
    Q_EMIT changesChanged(false);
}

void CorrectionModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_leadgenId.clear();
    m_form.reset();
    m_payload.clear();
    m_corrections.clear();
    endResetModel();
    Q_EMIT changesChanged(false);
}

int CorrectionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CorrectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CorrectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case FieldColumn:
            if (role == Qt::EditRole || row.questionKey.isEmpty())
                return LeadField::label(row.field);
            return tr("%1 (question %2)").arg(LeadField::label(row.field), row.questionKey);
        case OriginalColumn: return row.original;
        case CorrectedColumn: return row.corrected;
        case ErrorColumn:
            if (row.changed() && row.correctedError.isEmpty())
                return tr("Corrected: the new value will be used.");
            return row.shownError();
        default: return {};
        }
    case FieldNameRole: return row.field;
    case HasErrorRole: return !row.shownError().isEmpty();
    case ChangedRole: return row.changed();
    default: return {};
    }
}

bool CorrectionModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid)
        || index.column() != CorrectedColumn)
        return false;
    Row &row = m_rows[index.row()];
    const QString text = value.toString();
    if (text == row.corrected)
        return true;
    const bool before = hasChanges();
    QStringList shownBefore;
    for (const Row &r : std::as_const(m_rows))
        shownBefore << r.shownError();
    row.corrected = text;
    recheck();
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    // A correction can settle another field's error too (a first name fills the customer name).
    for (int i = 0; i < m_rows.size(); ++i)
        if (i != index.row() && m_rows.at(i).shownError() != shownBefore.at(i))
            Q_EMIT dataChanged(this->index(i, 0), this->index(i, ColumnCount - 1));
    if (hasChanges() != before)
        Q_EMIT changesChanged(!before);
    return true;
}

void CorrectionModel::recheck()
{
    if (!m_form || m_payload.isEmpty()) {
        // Nothing to map the lead with: the correction is taken as typed.
        for (Row &r : m_rows)
            r.correctedError.clear();
        return;
    }
    QList<Correction> corrections = m_corrections;
    qint64 latest = 0;
    for (const Correction &c : std::as_const(corrections))
        latest = std::max(latest, c.atMs);
    for (const auto &[target, value] : changes())
        corrections.append({target, value, QString(), latest + 1}); // typed now: they win
    const LeadMapper::Result result = LeadMapper::map(m_payload, *m_form, corrections, m_region);
    for (Row &r : m_rows) {
        r.correctedError.clear();
        for (const FieldError &e : result.errors)
            if (e.field == r.field) {
                r.correctedError = e.message;
                break;
            }
    }
}

Qt::ItemFlags CorrectionModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == CorrectedColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant CorrectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FieldColumn: return tr("Lead field");
    case OriginalColumn: return tr("Original value");
    case CorrectedColumn: return tr("Corrected value");
    case ErrorColumn: return tr("Problem");
    default: return {};
    }
}

int CorrectionModel::rowOf(const QString &field) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).field == field)
            return i;
    return -1;
}

bool CorrectionModel::setCorrection(const QString &field, const QString &value)
{
    const int row = rowOf(field);
    return row >= 0 && setData(index(row, CorrectedColumn), value);
}

bool CorrectionModel::hasChanges() const
{
    for (const Row &r : m_rows)
        if (r.changed())
            return true;
    return false;
}

QList<QPair<QString, QString>> CorrectionModel::changes() const
{
    QList<QPair<QString, QString>> out;
    for (const Row &r : m_rows)
        if (r.changed())
            out.append({Correction::fieldTarget(r.field), r.corrected});
    return out;
}

} // namespace leadkeeper
