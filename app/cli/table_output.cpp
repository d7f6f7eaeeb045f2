#include "table_output.h"

namespace leadkeeper {

std::optional<TableOutput::Format> TableOutput::parseFormat(const QString &text)
{
    if (text == QLatin1String("json"))
        return Format::Json;
    if (text == QLatin1String("csv"))
        return Format::Csv;
    if (text == QLatin1String("table"))
        return Format::Table;
    return std::nullopt;
}

TableOutput::TableOutput(Format format, QStringList columns, QTextStream &out)
    : m_format(format), m_columns(std::move(columns)), m_out(out)
{
}

QString TableOutput::cellText(const nlohmann::json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump());
}

QString TableOutput::csvCell(const QString &value)
{
    QString v = value;
    static const QString risky = QStringLiteral("=+-@\t\r");
    if (!v.isEmpty() && risky.contains(v.at(0)))
        v.prepend(QLatin1Char('\''));
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n'))
        || v.contains(QLatin1Char('\r'))) {
        v.replace(QLatin1String("\""), QLatin1String("\"\""));
        v = QLatin1Char('"') + v + QLatin1Char('"');
    }
    return v;
}

void TableOutput::add(const nlohmann::json &row)
{
    switch (m_format) {
    case Format::Json: {
        // ordered_json keeps the columns in the order given (plain json sorts its keys).
        nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
        for (const QString &c : std::as_const(m_columns)) {
            const auto it = row.find(c.toStdString());
            ordered[c.toStdString()] = it == row.end() ? nlohmann::ordered_json() : nlohmann::ordered_json(*it);
        }
        m_out << QString::fromStdString(ordered.dump()) << '\n';
        break;
    }
    case Format::Csv: {
        if (!m_headerWritten) {
            m_out << m_columns.join(QLatin1Char(',')) << "\r\n";
            m_headerWritten = true;
        }
        QStringList cells;
        for (const QString &c : std::as_const(m_columns)) {
            const auto it = row.find(c.toStdString());
            cells << csvCell(it == row.end() ? QString() : cellText(*it));
        }
        m_out << cells.join(QLatin1Char(',')) << "\r\n";
        break;
    }
    case Format::Table: {
        QStringList cells;
        for (const QString &c : std::as_const(m_columns)) {
            const auto it = row.find(c.toStdString());
            QString text = it == row.end() ? QString() : cellText(*it);
            // Lead data is data: no line breaks or terminal escape sequences reach the screen.
            for (QChar &ch : text) {
                if (ch.category() == QChar::Other_Control)
                    ch = QLatin1Char(' ');
            }
            if (text.size() > 60)
                text = text.left(59) + QChar(0x2026);
            cells << text;
        }
        m_pending << cells;
        break;
    }
    }
}

void TableOutput::finish()
{
    if (m_format == Format::Table) {
        QList<qsizetype> widths;
        for (const QString &c : std::as_const(m_columns))
            widths << c.size();
        for (const QStringList &row : std::as_const(m_pending)) {
            for (qsizetype i = 0; i < row.size(); ++i)
                widths[i] = qMax(widths[i], row.at(i).size());
        }
        auto line = [&](const QStringList &cells) {
            QString text;
            for (qsizetype i = 0; i < cells.size(); ++i)
                text += cells.at(i).leftJustified(widths[i] + 2);
            m_out << text.trimmed() << '\n';
        };
        line(m_columns);
        for (const QStringList &row : std::as_const(m_pending))
            line(row);
        if (m_pending.isEmpty())
            m_out << "(no entries)\n";
        m_pending.clear();
    } else if (m_format == Format::Csv && !m_headerWritten) {
        m_out << m_columns.join(QLatin1Char(',')) << "\r\n";
        m_headerWritten = true;
    }
    m_out.flush();
}

} // namespace leadkeeper
