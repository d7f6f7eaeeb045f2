#include "quoted_value.h"

namespace leadkeeper {

bool isControlCharacter(QChar c)
{
    const char16_t u = c.unicode();
    return c.category() == QChar::Other_Control || (u >= 0x202A && u <= 0x202E)
           || (u >= 0x2066 && u <= 0x2069);
}

QString quotedValue(const QString &value)
{
    constexpr qsizetype kMaxShown = 80;
    QString shown = value.left(kMaxShown);
    for (QChar &c : shown)
        if (isControlCharacter(c))
            c = QChar::ReplacementCharacter;
    // Do not leave half of a surrogate pair at the cut.
    if (value.size() > kMaxShown) {
        if (shown.back().isHighSurrogate())
            shown.chop(1);
        shown += QChar(0x2026);
    }
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

} // namespace leadkeeper
