#include "mapping_table_model.h"

#include "config/config_store.h"
#include "processing/lead_field.h"
#include "processing/transform.h"

#include <QSet>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

QString fromJson(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

// "What's your budget?" keys → custom:whats_your_budget (a-z, 0-9, _; at most 64).
QString customFieldFor(const QString &key)
{
    QString name;
    for (QChar c : key.toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            name += c;
        else if (!name.endsWith(QLatin1Char('_')))
            name += QLatin1Char('_');
    }
    while (name.startsWith(QLatin1Char('_')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('_')))
        name.chop(1);
    return name.isEmpty() ? QString() : QStringLiteral("custom:") + name.left(64);
}

QString suggestedTransform(const QString &field)
{
    if (field == QLatin1String("phone"))
        return QStringLiteral("phone");
    if (field == QLatin1String("email"))
        return QStringLiteral("trim|lower");
    if (LeadField::isNameLike(field))
        return QStringLiteral("trim|capitalize");
    return QStringLiteral("trim");
}

QList<QPair<QString, QString>> parseQuestions(const QByteArray &json)
{
    QList<QPair<QString, QString>> out;
    const auto doc = nlohmann::json::parse(json.cbegin(), json.cend(), nullptr, false);
    if (!doc.is_array())
        return out;
    for (const auto &q : doc)
        if (q.is_object() && !fromJson(q, "key").isEmpty())
            out.append({fromJson(q, "key"), fromJson(q, "label")});
    return out;
}

} // namespace

MappingTableModel::MappingTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MappingTableModel::setQuestions(const QByteArray &questionsJson)
{
    m_questions = questionsJson;
    m_labels.clear();
    m_keys.clear();
    for (const auto &[key, label] : parseQuestions(questionsJson)) {
        m_keys.append(key);
        m_labels.insert(key, label);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, QuestionColumn), index(rowCount() - 1, QuestionColumn));
}

void MappingTableModel::setRows(const QList<MappingRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    revalidate();
    endResetModel();
}

QList<MappingRow> MappingTableModel::suggestedRows(const QByteArray &questionsJson)
{
    QList<MappingRow> rows;
    QSet<QString> used;
    for (const auto &[key, label] : parseQuestions(questionsJson)) {
        Q_UNUSED(label);
        QString field = LeadField::suggestedFor(key);
        if (field.isEmpty() || used.contains(field))
            field = customFieldFor(key);
        if (field.isEmpty() || used.contains(field))
            continue;
        used.insert(field);
        MappingRow row;
        row.questionKey = key;
        row.leadField = field;
        row.transform = suggestedTransform(field);
        row.mandatory = field == QLatin1String("phone");
        rows.append(row);
    }
    return rows;
}

void MappingTableModel::applySuggestions()
{
    setRows(suggestedRows(m_questions));
    Q_EMIT rowsEdited();
}

int MappingTableModel::appendRow(const MappingRow &row)
{
    const int at = rowCount();
    beginInsertRows({}, at, at);
    m_rows.append(row);
    m_errors.append(QHash<int, QString>());
    endInsertRows();
    revalidate();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT rowsEdited();
    return at;
}

QString MappingTableModel::firstError() const
{
    for (int r = 0; r < m_errors.size(); ++r)
        for (int c = 0; c < ColumnCount; ++c)
            if (!m_errors.at(r).value(c).isEmpty())
                return QStringLiteral("Row %1: %2").arg(r + 1).arg(m_errors.at(r).value(c));
    if (m_rows.isEmpty())
        return tr("Map at least one question to a Lead field.");
    return {};
}

QString MappingTableModel::cellError(int row, int column) const
{
    return row >= 0 && row < m_errors.size() ? m_errors.at(row).value(column) : QString();
}

QStringList MappingTableModel::questionKeys() const
{
    return m_keys;
}

int MappingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MappingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MappingTableModel::questionText(const QString &keys) const
{
    const QStringList parts = keys.split(QLatin1Char('+'));
    QStringList shown;
    for (const QString &k : parts) {
        const QString label = m_labels.value(k.trimmed());
        shown << (label.isEmpty() ? k.trimmed() : label);
    }
    return shown.join(QStringLiteral(" + "));
}

QVariant MappingTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MappingRow &row = m_rows.at(index.row());
    const QHash<int, QString> &errors = m_errors.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case QuestionColumn: return questionText(row.questionKey);
        case FieldColumn: return LeadField::label(row.leadField);
        case DefaultColumn: return row.defaultValue;
        case TransformColumn: return row.transform;
        default: return {};
        }
    case Qt::EditRole:
        switch (index.column()) {
        case QuestionColumn: return row.questionKey;
        case FieldColumn: return row.leadField;
        case DefaultColumn: return row.defaultValue;
        case TransformColumn: return row.transform;
        case MandatoryColumn: return row.mandatory;
        default: return {};
        }
    case Qt::CheckStateRole:
        if (index.column() == MandatoryColumn)
            return row.mandatory ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ToolTipRole: {
        const QString own = errors.value(index.column());
        if (!own.isEmpty())
            return own;
        for (int c = 0; c < ColumnCount; ++c)
            if (!errors.value(c).isEmpty())
                return errors.value(c);
        if (index.column() == QuestionColumn)
            return QStringLiteral("Question key: %1").arg(row.questionKey);
        if (index.column() == FieldColumn)
            return row.leadField;
        return {};
    }
    case CellErrorRole:
        return errors.value(index.column());
    case RowErrorRole:
        for (int c = 0; c < ColumnCount; ++c)
            if (!errors.value(c).isEmpty())
                return errors.value(c);
        return QString();
    default:
        return {};
    }
}

QVariant MappingTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case QuestionColumn: return tr("Question on the form");
    case FieldColumn: return tr("Fills Lead field");
    case DefaultColumn: return tr("Default when empty");
    case TransformColumn: return tr("Clean-up");
    case MandatoryColumn: return tr("Required");
    default: return {};
    }
}

Qt::ItemFlags MappingTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == MandatoryColumn)
        return f | Qt::ItemIsUserCheckable;
    return f | Qt::ItemIsEditable;
}

bool MappingTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    MappingRow &row = m_rows[index.row()];
    if (index.column() == MandatoryColumn) {
        if (role != Qt::CheckStateRole && role != Qt::EditRole)
            return false;
        const bool on = role == Qt::CheckStateRole
                            ? value.value<Qt::CheckState>() == Qt::Checked
                            : value.toBool();
        if (on == row.mandatory)
            return true;
        row.mandatory = on;
    } else {
        if (role != Qt::EditRole)
            return false;
        const QString text = value.toString();
        QString *target = nullptr;
        switch (index.column()) {
        case QuestionColumn: target = &row.questionKey; break;
        case FieldColumn: target = &row.leadField; break;
        case DefaultColumn: target = &row.defaultValue; break;
        case TransformColumn: target = &row.transform; break;
        default: return false;
        }
        // Trailing blanks in a key or field are typing accidents; a default value is data.
        const QString stored = index.column() == DefaultColumn ? text : text.trimmed();
        if (*target == stored)
            return true;
        *target = stored;
    }
    revalidate();
    // Any edit can change another row's verdict (a duplicate field), so the whole table updates.
    Q_EMIT dataChanged(this->index(0, 0), this->index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT rowsEdited();
    return true;
}

bool MappingTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    m_errors.remove(row, count);
    endRemoveRows();
    revalidate();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT rowsEdited();
    return true;
}

void MappingTableModel::revalidate()
{
    const bool wasValid = m_valid;
    m_errors = QList<QHash<int, QString>>(m_rows.size());
    QHash<QString, int> firstRowOfField;
    for (int i = 0; i < m_rows.size(); ++i) {
        const MappingRow &row = m_rows.at(i);
        QHash<int, QString> &e = m_errors[i];
        QString transformError;
        if (row.questionKey.isEmpty())
            e.insert(QuestionColumn, tr("Pick the form question this row reads."));
        else if (row.questionKey.split(QLatin1Char('+')).contains(QString()))
            e.insert(QuestionColumn, tr("Write several questions as first_name+last_name."));
        if (row.leadField.isEmpty())
            e.insert(FieldColumn, tr("Pick the Lead field this row fills."));
        else if (!LeadField::isKnown(row.leadField))
            e.insert(FieldColumn, tr("\"%1\" is not a Lead field: pick one from the list, or write "
                                     "custom:<name> with a-z, 0-9 and _.")
                                      .arg(row.leadField));
        else if (firstRowOfField.contains(row.leadField))
            e.insert(FieldColumn, tr("%1 is already filled by row %2: map each Lead field once.")
                                      .arg(LeadField::label(row.leadField))
                                      .arg(firstRowOfField.value(row.leadField) + 1));
        if (!Transform::parse(row.transform, &transformError))
            e.insert(TransformColumn, transformError);
        if (e.isEmpty())
            firstRowOfField.insert(row.leadField, i);
    }

    // Whatever the engine refuses beyond the checks above is shown on its row too, so Save is
    // never enabled for a mapping ConfigStore::saveForm() would refuse.
    QList<int> clean;
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_errors.at(i).isEmpty())
            clean.append(i);
    for (int guard = 0; guard < m_rows.size() && !clean.isEmpty(); ++guard) {
        FormMapping form;
        for (int i : std::as_const(clean))
            form.rows.append(m_rows.at(i));
        int bad = -1;
        const QString problem = ConfigStore::validateMappingRows(form, &bad);
        if (problem.isEmpty() || bad < 0)
            break;
        m_errors[clean.at(bad)].insert(FieldColumn, problem);
        clean.removeAt(bad);
    }

    m_invalidRows = 0;
    for (const auto &e : std::as_const(m_errors))
        m_invalidRows += e.isEmpty() ? 0 : 1;
    m_valid = m_invalidRows == 0 && !m_rows.isEmpty();
    if (wasValid != isValid())
        Q_EMIT validityChanged(isValid());
}

} // namespace leadkeeper
