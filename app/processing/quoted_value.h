#pragma once

#include <QString>

namespace leadkeeper {

/**
 * A value as it appears inside an error sentence: in double quotes, control and bidi-control
 * characters shown as U+FFFD (a message must never carry a line break or reverse the text around
 * it), and cut to 80 characters with "…". The exact value travels separately (FieldError::value).
 */
QString quotedValue(const QString &value);

/// True for characters a name must not contain: C0/C1 controls (tab and line breaks included)
/// and the bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which
/// can make displayed text read differently from what is stored.
bool isControlCharacter(QChar c);

} // namespace leadkeeper
