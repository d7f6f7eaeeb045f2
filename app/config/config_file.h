#pragma once

#include "config/page_config.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace leadkeeper {

class ConfigStore;
class SecretStore;

/**
 * The configuration as one JSON document, for `leadkeeper config export/import` and backups:
 *
 *   {"format": "leadkeeper-config", "version": 1, "pages": [{"page_id", "name", "enabled",
 *    "default_region", "access_token" (only when exported with secrets), "forms": [{"form_id",
 *    "form_name", "enabled", "questions": [{"key", "label", "type"}], "mapping": [{"question",
 *    "field", "default", "transform", "mandatory"}]}]}]}
 *
 * Guarantees:
 * - Export leaves every token out unless asked for (withSecrets); a file with tokens is written
 *   owner-only (0600) before it holds any content, and atomically.
 * - Import checks the whole file before it writes anything: ids are digit strings (or JSON
 *   integers, read exactly, never through a double), unknown keys and wrong types are errors,
 *   every mapping goes through the same validation as the desk. Each error names its entry
 *   ("pages[1].forms[0].mapping[2]: ..."). A file with any error changes nothing.
 * - Import writes all pages, forms and mapping rows in one transaction (ConfigStore::replacePages):
 *   a page of the file replaces the stored page of the same page id, including its set of forms;
 *   pages not in the file are left alone. Tokens go to the SecretStore only after that commit.
 * - No token ever appears in an error message (parse errors give a line and column, never an
 *   excerpt of the file).
 */
class ConfigFile
{
public:
    static constexpr const char *kFormat = "leadkeeper-config";
    static constexpr int kVersion = 1;

    /// A parsed and validated file. Tokens are kept apart from the pages, keyed by page id.
    struct Parsed
    {
        QList<PageWithForms> pages;
        QHash<QString, QString> tokens;
    };

    struct ExportSummary
    {
        int pages = 0;
        int forms = 0;
        int tokens = 0;               ///< tokens written into the file
        QStringList pagesWithoutToken; ///< page ids (withSecrets only)
    };

    struct ImportSummary
    {
        int pagesAdded = 0;
        int pagesUpdated = 0;
        int forms = 0;
        int mappingRows = 0;
        int tokensStored = 0;
        QStringList tokenErrors; ///< the configuration was committed, these tokens were not stored
    };

    ConfigFile(ConfigStore &store, SecretStore &secrets);

    /// The whole configuration as JSON (UTF-8, indented).
    std::optional<QByteArray> exportJson(bool withSecrets, ExportSummary *summary, QString *error);
    /// Writes exportJson() to `path` atomically ("-" = stdout).
    bool exportToFile(const QString &path, bool withSecrets, ExportSummary *summary, QString *error);

    /// Parses and validates without touching the store; on failure *errors lists every problem.
    static std::optional<Parsed> parse(const QByteArray &json, QStringList *errors);

    /// parse(), then writes everything in one transaction, then stores the tokens.
    std::optional<ImportSummary> importJson(const QByteArray &json, QStringList *errors);
    /// Reads `path` ("-" = stdin) and imports it.
    std::optional<ImportSummary> importFile(const QString &path, QStringList *errors);

private:
    ConfigStore &m_store;
    SecretStore &m_secrets;
};

} // namespace leadkeeper
