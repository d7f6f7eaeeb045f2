#pragma once

namespace leadkeeper::ui {

/// Runs the desk: parses the common options (--db, --config, --listen), opens the store, starts the
/// webhook listener in its own thread and shows the main window until it is closed. Returns the
/// process exit code (1 when the settings or the database cannot be used, 2 for a bad option).
int runDesk(int argc, char **argv);

} // namespace leadkeeper::ui
