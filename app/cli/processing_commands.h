#pragma once

#include <QStringList>

namespace leadkeeper::cli {

/// `leadkeeper process`: reprocess a selection as a job with progress and a summary.
int runProcess(const QStringList &arguments);
/// `leadkeeper loss`: mark a lead as Loss with a reason, or --restore it.
int runLoss(const QStringList &arguments);
/// `leadkeeper correct`: store a correction overlay for a lead (and optionally process it).
int runCorrect(const QStringList &arguments);
/// `leadkeeper leads`: list Leads with their attribution.
int runLeads(const QStringList &arguments);

} // namespace leadkeeper::cli
