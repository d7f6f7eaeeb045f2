#pragma once

#include <QString>

namespace leadkeeper::bench {

/**
 * Fills a Leadkeeper database with `rows` realistic lead log entries (statuses, pages, forms,
 * names, phones, e-mails and error messages in the proportions of a busy account; the same rows
 * for the same count, seed 4242), appended after whatever the log holds. Returns false and *error
 * on failure.
 *
 * Bulk mode, for speed (the whole log is written in minutes, not the ~15 min the schema's
 * per-row triggers and indexes cost at 10 M): the caller must be the only user of the file while
 * it runs. It sets synchronous=OFF and a large cache on its own connection, saves and drops
 * lead_log's indexes and triggers, inserts in big transactions, then rebuilds what the triggers
 * and indexes would have written (the FTS index by 'rebuild', the per-status counters by one
 * GROUP BY), recreates the indexes and triggers from their saved SQL text (so they are exactly
 * the schema's), checks the counters and the FTS index, and checkpoints the WAL. The file ends as
 * a normal, schema-current Leadkeeper database. A run that dies midway leaves a file without
 * those indexes: delete it.
 */
bool generateLog(const QString &databasePath, qint64 rows, QString *error);

} // namespace leadkeeper::bench
