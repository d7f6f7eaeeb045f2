#pragma once

#include <QStringList>

namespace leadkeeper::cli {

/// `leadkeeper serve`: the listener (and processing) without a display, until SIGINT/SIGTERM.
int runServe(const QStringList &arguments);

} // namespace leadkeeper::cli
