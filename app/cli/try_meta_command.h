#pragma once

#include <QStringList>

namespace leadkeeper::cli {

/// `leadkeeper try-meta`: a local stand-in for Meta's Graph API (TryMetaServer), for trying
/// Leadkeeper out without a Meta app, until SIGINT/SIGTERM. Never for real leads.
int runTryMeta(const QStringList &arguments);

} // namespace leadkeeper::cli
