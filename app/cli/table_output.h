#pragma once

#include <QList>
#include <QStringList>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <optional>

namespace leadkeeper {

/**
 * Prints rows for the CLI in one of three formats: JSON (one object per line, keys in column
 * order, a missing key as null), CSV (RFC 4180 with CRLF, a header row even when there are no rows,
 * cells that a spreadsheet would run as a formula escaped), or an aligned plain-text table (control
 * characters shown as spaces, cells cut at 60 characters, "(no entries)" when empty).
 * Each row is a JSON object; `columns` names the keys to print and their order.
 */
class TableOutput
{
public:
    enum class Format { Json, Csv, Table };
    static std::optional<Format> parseFormat(const QString &text);

    TableOutput(Format format, QStringList columns, QTextStream &out);
    void add(const nlohmann::json &row);
    /// Writes what is pending (the table format needs all rows to align).
    void finish();

    /// A CSV cell: quoted when needed; a leading = + - @ tab or CR is neutralised with a quote.
    static QString csvCell(const QString &value);

private:
    static QString cellText(const nlohmann::json &value);

    Format m_format;
    QStringList m_columns;
    QTextStream &m_out;
    QList<QStringList> m_pending;
    bool m_headerWritten = false;
};

} // namespace leadkeeper
