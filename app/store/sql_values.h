#pragma once

#include <QString>
#include <QVariant>

namespace leadkeeper {

/// A value for a NOT NULL text column: Qt binds a null QString as SQL NULL, so it becomes "".
inline QVariant sqlText(const QString &s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

/// Sets `*error` to `text` when the caller asked for the error (`error` may be nullptr).
inline void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace leadkeeper
