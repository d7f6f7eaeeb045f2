#include "config_file.h"

#include "config/config_store.h"
#include "config/secret_store.h"
#include "meta/meta_ids.h"

#include <QFile>
#include <QSaveFile>
#include <QSet>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace leadkeeper {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr qsizetype kMaxErrors = 50;

QString fromJson(const json &value)
{
    return QString::fromStdString(value.get<std::string>());
}

/// Reads the entries of the file and collects every problem, each prefixed with its entry path.
/// Values are quoted only from fields that are never secret.
class Reader
{
public:
    explicit Reader(QStringList *errors) : m_errors(errors) {}

    qsizetype errorCount() const { return m_errors->size() + m_more; }

    void fail(const QString &path, const QString &message)
    {
        if (m_errors->size() < kMaxErrors)
            *m_errors << path + QStringLiteral(": ") + message;
        else
            ++m_more;
    }

    void finish()
    {
        if (m_more > 0)
            *m_errors << QStringLiteral("... and %1 more problems.").arg(m_more);
    }

    bool object(const json &value, const QString &path, std::initializer_list<const char *> allowed)
    {
        if (!value.is_object()) {
            fail(path, QStringLiteral("expected a JSON object"));
            return false;
        }
        QStringList names;
        for (const char *name : allowed)
            names << QLatin1String(name);
        // Unknown keys are reported; the known ones are still read, so one run lists every problem.
        for (auto it = value.begin(); it != value.end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (!names.contains(key))
                fail(path, QStringLiteral("unknown key \"%1\" (allowed: %2)")
                               .arg(key.left(40), names.join(QStringLiteral(", "))));
        }
        return true;
    }

    /// A string member. Absent: `fallback` (or an error when required). Never quotes the value.
    std::optional<QString> text(const json &obj, const char *key, const QString &path,
                                bool required, bool nonEmpty = false)
    {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) {
                fail(path, QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
                return std::nullopt;
            }
            return QString();
        }
        if (!it->is_string()) {
            fail(path, QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
            return std::nullopt;
        }
        QString value = fromJson(*it);
        if (nonEmpty && value.trimmed().isEmpty()) {
            fail(path, QStringLiteral("\"%1\" must not be empty").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return value;
    }

    std::optional<bool> flag(const json &obj, const char *key, const QString &path, bool fallback)
    {
        const auto it = obj.find(key);
        if (it == obj.end())
            return fallback;
        if (!it->is_boolean()) {
            fail(path, QStringLiteral("\"%1\" must be true or false").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return it->get<bool>();
    }

    /// A Meta id: digits as a string, or a JSON integer (read exactly, never as a double).
    std::optional<QString> id(const json &obj, const char *key, const QString &path)
    {
        const auto it = obj.find(key);
        if (it == obj.end()) {
            fail(path, QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
            return std::nullopt;
        }
        QString problem;
        const auto value = meta_ids::exactId(&*it, key, &problem);
        if (!value) {
            fail(path, problem);
            return std::nullopt;
        }
        if (value->isEmpty() || !ConfigStore::isMetaId(*value)) {
            fail(path, QStringLiteral("\"%1\" must be a Meta id (digits)").arg(QLatin1String(key)));
            return std::nullopt;
        }
        return value;
    }

    /// An array member; absent = empty.
    const json *array(const json &obj, const char *key, const QString &path, bool required)
    {
        static const json empty = json::array();
        const auto it = obj.find(key);
        if (it == obj.end()) {
            if (required)
                fail(path, QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
            return required ? nullptr : &empty;
        }
        if (!it->is_array()) {
            fail(path, QStringLiteral("\"%1\" must be an array").arg(QLatin1String(key)));
            return nullptr;
        }
        return &*it;
    }

private:
    QStringList *m_errors;
    qsizetype m_more = 0;
};

QString lineAndColumn(const QByteArray &bytes, std::size_t byte)
{
    int line = 1;
    int column = 1;
    const qsizetype end = qMin<qsizetype>(bytes.size(), qsizetype(byte > 0 ? byte - 1 : 0));
    for (qsizetype i = 0; i < end; ++i) {
        if (bytes.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

std::optional<QByteArray> readQuestions(Reader &reader, const json &form, const QString &path)
{
    const json *questions = reader.array(form, "questions", path, false);
    if (!questions)
        return std::nullopt;
    json stored = json::array();
    QSet<QString> keys;
    bool ok = true;
    for (std::size_t n = 0; n < questions->size(); ++n) {
        const json &q = (*questions)[n];
        const QString qpath = path + QStringLiteral(".questions[%1]").arg(n);
        if (!reader.object(q, qpath, {"key", "label", "type"})) {
            ok = false;
            continue;
        }
        const auto key = reader.text(q, "key", qpath, true, true);
        const auto label = reader.text(q, "label", qpath, false);
        const auto type = reader.text(q, "type", qpath, false);
        if (!key || !label || !type) {
            ok = false;
            continue;
        }
        if (keys.contains(*key)) {
            reader.fail(qpath, QStringLiteral("question key \"%1\" is listed twice").arg(key->left(60)));
            ok = false;
            continue;
        }
        keys.insert(*key);
        json entry = {{"key", key->toStdString()}};
        if (!label->isEmpty())
            entry["label"] = label->toStdString();
        if (!type->isEmpty())
            entry["type"] = type->toStdString();
        stored.push_back(std::move(entry));
    }
    if (!ok)
        return std::nullopt;
    return QByteArray::fromStdString(stored.dump());
}

std::optional<FormMapping> readForm(Reader &reader, const json &form, const QString &path)
{
    const qsizetype before = reader.errorCount();
    if (!reader.object(form, path, {"form_id", "form_name", "enabled", "questions", "mapping"}))
        return std::nullopt;
    FormMapping f;
    f.formId = reader.id(form, "form_id", path).value_or(QString());
    f.formName = reader.text(form, "form_name", path, false).value_or(QString());
    f.enabled = reader.flag(form, "enabled", path, true).value_or(true);
    f.questions = readQuestions(reader, form, path).value_or(QByteArray());
    if (const json *mapping = reader.array(form, "mapping", path, false)) {
        for (std::size_t m = 0; m < mapping->size(); ++m) {
            const json &row = (*mapping)[m];
            const QString rpath = path + QStringLiteral(".mapping[%1]").arg(m);
            if (!reader.object(row, rpath, {"question", "field", "default", "transform", "mandatory"}))
                continue;
            MappingRow r;
            r.questionKey = reader.text(row, "question", rpath, true, true).value_or(QString());
            r.leadField = reader.text(row, "field", rpath, true, true).value_or(QString());
            r.defaultValue = reader.text(row, "default", rpath, false).value_or(QString());
            r.transform = reader.text(row, "transform", rpath, false).value_or(QString());
            r.mandatory = reader.flag(row, "mandatory", rpath, false).value_or(false);
            f.rows << r;
        }
    }
    if (reader.errorCount() != before)
        return std::nullopt;
    // The same rules as the desk and ConfigStore::saveForm, reported at the row at fault.
    int row = -1;
    const QString problem = ConfigStore::validateMappingRows(f, &row);
    if (!problem.isEmpty()) {
        reader.fail(row < 0 ? path : path + QStringLiteral(".mapping[%1]").arg(row), problem);
        return std::nullopt;
    }
    return f;
}

void readPage(Reader &reader, const json &page, const QString &path, QHash<QString, qsizetype> &seen,
              ConfigFile::Parsed &parsed)
{
    const qsizetype before = reader.errorCount();
    if (!reader.object(page, path,
                       {"page_id", "name", "enabled", "default_region", "access_token", "forms"}))
        return;
    PageWithForms p;
    const auto pageId = reader.id(page, "page_id", path);
    p.page.pageId = pageId.value_or(QString());
    p.page.name = reader.text(page, "name", path, true, true).value_or(QString()).trimmed();
    p.page.enabled = reader.flag(page, "enabled", path, true).value_or(true);
    const auto region = reader.text(page, "default_region", path, false);
    if (region) {
        p.page.defaultRegion = *region;
        if (!region->isEmpty() && !ConfigStore::isRegionCode(*region))
            reader.fail(path, QStringLiteral("\"default_region\" \"%1\" is not a region code (two "
                                             "capital letters such as DE, or \"\" for the settings "
                                             "default)")
                                  .arg(region->left(10)));
    }
    // The token is never quoted in an error.
    const auto token = reader.text(page, "access_token", path, false);
    if (token && page.contains("access_token") && token->trimmed().isEmpty())
        reader.fail(path, QStringLiteral("\"access_token\" must not be empty (leave it out to keep "
                                         "the stored token)"));
    if (pageId) {
        const auto it = seen.constFind(*pageId);
        if (it != seen.constEnd())
            reader.fail(path, QStringLiteral("page id %1 is listed twice (also pages[%2])")
                                  .arg(*pageId)
                                  .arg(*it));
        else
            seen.insert(*pageId, qsizetype(parsed.pages.size()));
    }
    if (const json *forms = reader.array(page, "forms", path, false)) {
        QHash<QString, std::size_t> formSeen;
        for (std::size_t k = 0; k < forms->size(); ++k) {
            const QString fpath = path + QStringLiteral(".forms[%1]").arg(k);
            auto form = readForm(reader, (*forms)[k], fpath);
            if (!form)
                continue;
            const auto it = formSeen.constFind(form->formId);
            if (it != formSeen.constEnd()) {
                reader.fail(fpath, QStringLiteral("form id %1 is listed twice for this page (also "
                                                  "forms[%2])")
                                       .arg(form->formId)
                                       .arg(*it));
                continue;
            }
            formSeen.insert(form->formId, k);
            p.forms << *form;
        }
    }
    if (reader.errorCount() != before)
        return;
    if (token && !token->isEmpty())
        parsed.tokens.insert(p.page.pageId, *token);
    parsed.pages << p;
}

bool writeOut(const QString &path, const QByteArray &bytes, bool ownerOnly, QString *error)
{
    if (path == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) {
            *error = QStringLiteral("The configuration cannot be written to standard output.");
            return false;
        }
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("The file %1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
    // A file with tokens is owner-only before it holds any of them.
    if (ownerOnly && !file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)) {
        file.cancelWriting();
        *error = QStringLiteral("The file %1 cannot be made owner-only.").arg(path);
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("The file %1 cannot be written: %2").arg(path, file.errorString());
        return false;
    }
    if (ownerOnly && !QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner)) {
        *error = QStringLiteral("The file %1 cannot be made owner-only.").arg(path);
        return false;
    }
    return true;
}

} // namespace

ConfigFile::ConfigFile(ConfigStore &store, SecretStore &secrets) : m_store(store), m_secrets(secrets)
{
}

std::optional<QByteArray> ConfigFile::exportJson(bool withSecrets, ExportSummary *summary,
                                                 QString *error)
{
    ExportSummary local;
    ExportSummary &s = summary ? *summary : local;
    s = {};
    QString failure;
    const QList<PageConfig> pages = m_store.listPages(&failure);
    if (!failure.isEmpty()) {
        *error = failure;
        return std::nullopt;
    }
    ordered_json doc = {{"format", kFormat}, {"version", kVersion}, {"pages", ordered_json::array()}};
    for (const PageConfig &page : pages) {
        ordered_json p = {{"page_id", page.pageId.toStdString()},
                          {"name", page.name.toStdString()},
                          {"enabled", page.enabled},
                          {"default_region", page.defaultRegion.toStdString()}};
        if (withSecrets) {
            const auto token = m_secrets.token(page.tokenRef, &failure);
            if (!failure.isEmpty()) {
                *error = failure;
                return std::nullopt;
            }
            if (token) {
                p["access_token"] = token->toStdString();
                ++s.tokens;
            } else {
                s.pagesWithoutToken << page.pageId;
            }
        }
        const QList<FormMapping> forms = m_store.forms(page.id, &failure);
        if (!failure.isEmpty()) {
            *error = failure;
            return std::nullopt;
        }
        p["forms"] = ordered_json::array();
        for (const FormMapping &form : forms) {
            ordered_json questions = ordered_json::array();
            const auto stored = json::parse(form.questions.cbegin(), form.questions.cend(), nullptr,
                                            false);
            if (stored.is_array()) {
                for (const json &q : stored) {
                    if (!q.is_object() || !q.contains("key") || !q["key"].is_string())
                        continue;
                    ordered_json entry = {{"key", q["key"].get<std::string>()}};
                    for (const char *key : {"label", "type"}) {
                        if (q.contains(key) && q[key].is_string())
                            entry[key] = q[key].get<std::string>();
                    }
                    questions.push_back(std::move(entry));
                }
            }
            ordered_json mapping = ordered_json::array();
            for (const MappingRow &r : form.rows) {
                mapping.push_back({{"question", r.questionKey.toStdString()},
                                   {"field", r.leadField.toStdString()},
                                   {"default", r.defaultValue.toStdString()},
                                   {"transform", r.transform.toStdString()},
                                   {"mandatory", r.mandatory}});
            }
            p["forms"].push_back({{"form_id", form.formId.toStdString()},
                                  {"form_name", form.formName.toStdString()},
                                  {"enabled", form.enabled},
                                  {"questions", std::move(questions)},
                                  {"mapping", std::move(mapping)}});
            ++s.forms;
        }
        doc["pages"].push_back(std::move(p));
        ++s.pages;
    }
    return QByteArray::fromStdString(doc.dump(2) + "\n");
}

bool ConfigFile::exportToFile(const QString &path, bool withSecrets, ExportSummary *summary,
                              QString *error)
{
    const auto bytes = exportJson(withSecrets, summary, error);
    return bytes && writeOut(path, *bytes, withSecrets, error);
}

std::optional<ConfigFile::Parsed> ConfigFile::parse(const QByteArray &bytes, QStringList *errors)
{
    errors->clear();
    json doc;
    try {
        doc = json::parse(bytes.cbegin(), bytes.cend());
    } catch (const json::parse_error &e) {
        // nlohmann's message quotes the text near the error, which may be a token: give the place.
        *errors << QStringLiteral("The file is not valid JSON (%1).").arg(lineAndColumn(bytes, e.byte));
        return std::nullopt;
    }
    if (!doc.is_object() || !doc.contains("format") || doc["format"] != kFormat) {
        *errors << QStringLiteral("The file is not a Leadkeeper configuration (expected \"format\": "
                                  "\"%1\").")
                       .arg(QLatin1String(kFormat));
        return std::nullopt;
    }
    const auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_integer()) {
        *errors << QStringLiteral("The file has no \"version\" (expected %1).").arg(kVersion);
        return std::nullopt;
    }
    if (version->get<std::int64_t>() != kVersion) {
        *errors << QStringLiteral("The file has version %1; this Leadkeeper reads version %2 (a "
                                  "newer Leadkeeper may have written it).")
                       .arg(version->get<std::int64_t>())
                       .arg(kVersion);
        return std::nullopt;
    }

    Reader reader(errors);
    Parsed parsed;
    reader.object(doc, QStringLiteral("file"), {"format", "version", "pages"});
    if (const json *pages = reader.array(doc, "pages", QStringLiteral("file"), true)) {
        QHash<QString, qsizetype> seen;
        for (std::size_t i = 0; i < pages->size(); ++i)
            readPage(reader, (*pages)[i], QStringLiteral("pages[%1]").arg(i), seen, parsed);
    }
    reader.finish();
    if (!errors->isEmpty())
        return std::nullopt;
    return parsed;
}

std::optional<ConfigFile::ImportSummary> ConfigFile::importJson(const QByteArray &bytes,
                                                                QStringList *errors)
{
    auto parsed = parse(bytes, errors);
    if (!parsed)
        return std::nullopt;

    ImportSummary summary;
    for (const PageWithForms &p : std::as_const(parsed->pages)) {
        QString failure;
        const bool exists = m_store.page(p.page.pageId, &failure).has_value();
        if (!failure.isEmpty()) {
            *errors << failure;
            return std::nullopt;
        }
        ++(exists ? summary.pagesUpdated : summary.pagesAdded);
        summary.forms += int(p.forms.size());
        for (const FormMapping &f : p.forms)
            summary.mappingRows += int(f.rows.size());
    }
    QString failure;
    if (!m_store.replacePages(parsed->pages, &failure)) {
        *errors << failure;
        return std::nullopt;
    }
    // Only now that the configuration is committed do the tokens go to the secret store.
    for (const PageWithForms &p : std::as_const(parsed->pages)) {
        const auto token = parsed->tokens.constFind(p.page.pageId);
        if (token == parsed->tokens.constEnd())
            continue;
        if (m_secrets.setToken(p.page.tokenRef, *token, &failure))
            ++summary.tokensStored;
        else
            summary.tokenErrors << QStringLiteral("page %1: %2").arg(p.page.pageId, failure);
    }
    return summary;
}

std::optional<ConfigFile::ImportSummary> ConfigFile::importFile(const QString &path,
                                                                QStringList *errors)
{
    QFile file(path);
    const bool ok = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                               : file.open(QIODevice::ReadOnly);
    if (!ok) {
        *errors = {QStringLiteral("The file %1 cannot be read: %2").arg(path, file.errorString())};
        return std::nullopt;
    }
    return importJson(file.readAll(), errors);
}

} // namespace leadkeeper
