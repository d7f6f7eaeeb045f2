#pragma once

#include "processing/mapping_types.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace leadkeeper {

/**
 * The mapping rows of one lead form as an editable table (after Wireshark's uat_model): one row
 * per MappingRow, columns Question, Lead field, Default, Transform, Mandatory.
 *
 * Contract:
 * - Every edit re-validates the whole table with the engine's rules (LeadField, Transform::parse,
 *   LeadMapper::validateMapping through ConfigStore::validateMappingRows), so the table accepts
 *   exactly what ConfigStore::saveForm() accepts. Each failing cell carries its reason
 *   (CellErrorRole, and Qt::ToolTipRole on every cell of the row); isValid() is false while any
 *   row fails, and validityChanged() says when that flips. Colours are the view's business
 *   (RowErrorRole): this model is QtCore only.
 * - Question keys show with the label Meta gave the question (setQuestions()); Lead fields show
 *   their label ("Phone") and edit as their name ("phone").
 * - suggestedRows() proposes the obvious mapping for Meta's standard keys (LeadField::suggestedFor)
 *   and a custom field for every other question, each field once.
 * GUI-thread only; no I/O.
 */
class MappingTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { QuestionColumn, FieldColumn, DefaultColumn, TransformColumn, MandatoryColumn,
                  ColumnCount };
    enum Role {
        CellErrorRole = Qt::UserRole + 1, ///< QString: why this cell is wrong ("" = fine)
        RowErrorRole,                     ///< QString: why this row is wrong ("" = fine)
    };

    explicit MappingTableModel(QObject *parent = nullptr);

    /// The form's questions ([{"key","label","type"}]) used for labels and suggestions.
    void setQuestions(const QByteArray &questionsJson);
    void setRows(const QList<MappingRow> &rows);
    QList<MappingRow> rows() const { return m_rows; }

    /// The obvious mapping for the questions (see class comment).
    static QList<MappingRow> suggestedRows(const QByteArray &questionsJson);
    /// Replaces the rows by suggestedRows() of the current questions.
    void applySuggestions();
    /// Appends a row and returns its index.
    int appendRow(const MappingRow &row = {});

    /// True when the rows can be saved: at least one row, and no row fails.
    bool isValid() const { return m_valid; }
    int invalidRowCount() const { return m_invalidRows; }
    /// Why the rows cannot be saved: the first failing row's reason, prefixed "Row N: ", or that
    /// there are no rows; "" when valid.
    QString firstError() const;
    QString cellError(int row, int column) const;
    /// The question keys of the form (for editors' choices).
    QStringList questionKeys() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    void validityChanged(bool valid);
    void rowsEdited();

private:
    void revalidate();
    QString questionText(const QString &keys) const;

    QList<MappingRow> m_rows;
    QList<QHash<int, QString>> m_errors; ///< per row: column → reason
    QHash<QString, QString> m_labels;    ///< question key → label
    QStringList m_keys;
    QByteArray m_questions;
    int m_invalidRows = 0;
    bool m_valid = false;
};

} // namespace leadkeeper
