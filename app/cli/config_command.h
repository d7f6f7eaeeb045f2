#pragma once

#include <QStringList>

namespace leadkeeper::cli {

/// `leadkeeper config export FILE [--with-secrets] | import FILE | show`: the page configs, form
/// mappings and mapping rows as a JSON file (ConfigFile) or a table. Every action says which
/// secret store holds the page access tokens. Exit codes: Ok, Failure, Usage (command_line.h).
int runConfig(const QStringList &arguments);

} // namespace leadkeeper::cli
