#pragma once

#include <QString>

namespace leadkeeper {

inline QString version()
{
    return QStringLiteral(LEADKEEPER_VERSION);
}

} // namespace leadkeeper
