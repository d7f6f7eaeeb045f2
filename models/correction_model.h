#pragma once

#include "lead_detail.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace leadkeeper {

/**
 * The "Correct data" table of one lead: a row per Lead field its form maps (plus fields that have
 * an error or a correction without a mapping row), in mapping order.
 *
 * Columns: the field (its label, and the question it reads), the original value (what the lead
 * payload maps to without any correction; for a field that failed, the value exactly as it failed),
 * the correction (editable; starts as the value in effect now: the latest staff correction, else
 * the original), and the current error of that field ("" when it has none). Once a correction is
 * typed, the Problem column judges the corrected value instead: the payload is mapped again with
 * the typed corrections (LeadMapper, the same validation processing runs), and the cell shows the
 * error that remains, or that the corrected value will be used (HasErrorRole follows).
 *
 * Contract: everything is plain text in DisplayRole/EditRole; HasErrorRole and ChangedRole tell a
 * view what to highlight (the model is QtCore only and carries no colours). changes() lists one
 * field correction ("field:<field>") per row whose correction was edited to something other than
 * what was in effect; editing it back removes it. Built on the GUI thread from a LeadDetails that
 * is already loaded: mapping one payload is pure and quick, no store access.
 */
class CorrectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { FieldColumn, OriginalColumn, CorrectedColumn, ErrorColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        FieldNameRole = Qt::UserRole + 1, ///< QString Lead field ("phone")
        HasErrorRole,                     ///< bool: the field has an error now
        ChangedRole,                      ///< bool: the correction was edited
    };

    struct Row
    {
        QString field;       ///< Lead field name
        QString questionKey; ///< "" when no mapping row reads it
        QString original;
        QString inEffect;    ///< what processing uses now
        QString corrected;   ///< what the user typed (starts as inEffect)
        QString error;       ///< the field's current error sentence (as stored by processing)
        QString correctedError; ///< the error the engine finds with `corrected` ("" = valid)
        bool changed() const { return corrected != inEffect; }
        /// What the Problem column shows: the stored error, or for an edited row the verdict on
        /// the corrected value.
        QString shownError() const { return changed() ? correctedError : error; }
    };

    explicit CorrectionModel(QObject *parent = nullptr);

    /// Rebuilds the rows for `details` (resets the model; edits are dropped).
    void setLead(const LeadDetails &details);
    void clear();
    QString leadgenId() const { return m_leadgenId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Row &rowAt(int row) const { return m_rows.at(row); }
    /// The row of a Lead field, or -1.
    int rowOf(const QString &field) const;
    /// Sets the correction of `field`; false when no row has that field.
    bool setCorrection(const QString &field, const QString &value);

    bool hasChanges() const;
    /// The corrections to store: (target "field:<field>", value) per edited row, in row order.
    QList<QPair<QString, QString>> changes() const;

Q_SIGNALS:
    void changesChanged(bool hasChanges);

private:
    /// Maps the payload again with the typed corrections and sets each row's correctedError.
    void recheck();

    QString m_leadgenId;
    QList<Row> m_rows;
    std::optional<FormMapping> m_form; ///< empty when the lead's form is not mapped
    QByteArray m_payload;
    QList<Correction> m_corrections;
    QString m_region;
};

} // namespace leadkeeper
