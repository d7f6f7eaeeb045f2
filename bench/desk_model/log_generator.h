#pragma once

#include <QString>

namespace leadkeeper::bench {

/**
 * Fills a Leadkeeper database with `rows` realistic lead log entries (statuses, pages, forms,
 * names, phones, e-mails and error messages in the proportions of a busy account), in batched
 * transactions through the real schema and its triggers. Returns false and *error on failure.
 */
bool generateLog(const QString &databasePath, qint64 rows, QString *error);

} // namespace leadkeeper::bench
