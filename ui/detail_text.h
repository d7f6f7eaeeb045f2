#pragma once

// How the detail pane writes what it shows: a missing value, a Meta object by name and id.

#include <QString>

namespace leadkeeper::ui {

/// A value that is not there, shown as a dash rather than an empty space.
inline QString orNone(const QString &text)
{
    return text.trimmed().isEmpty() ? QStringLiteral("—") : text;
}

/// "Acme Roofing (1029384756473829)", or the id alone.
inline QString named(const QString &name, const QString &id)
{
    if (id.isEmpty())
        return orNone(name);
    return name.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(name, id);
}

} // namespace leadkeeper::ui
