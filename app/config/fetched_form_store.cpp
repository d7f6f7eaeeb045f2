#include "fetched_form_store.h"

#include "store/sql_values.h"
#include "store/write_transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <nlohmann/json.hpp>

namespace leadkeeper {

namespace {

QString writeFailure(const QString &detail)
{
    return QStringLiteral("The fetched forms cannot be kept: %1").arg(detail);
}

QString member(const nlohmann::json &object, const char *name)
{
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

} // namespace

FetchedFormStore::FetchedFormStore(QSqlDatabase db) : m_db(std::move(db))
{
}

QByteArray FetchedFormStore::questionsJson(const GraphForm &form)
{
    nlohmann::ordered_json questions = nlohmann::ordered_json::array();
    for (const GraphQuestion &q : form.questions)
        questions.push_back({{"key", q.key.toStdString()},
                             {"label", q.label.toStdString()},
                             {"type", q.type.toStdString()}});
    return QByteArray::fromStdString(questions.dump());
}

QList<GraphQuestion> FetchedFormStore::questionsFromJson(const QByteArray &json)
{
    QList<GraphQuestion> questions;
    const auto parsed = nlohmann::json::parse(json.cbegin(), json.cend(), nullptr, false);
    if (!parsed.is_array())
        return questions;
    for (const auto &q : parsed) {
        if (q.is_object())
            questions.append({member(q, "key"), member(q, "label"), member(q, "type")});
        else
            questions.append(GraphQuestion{});
    }
    return questions;
}

QList<GraphForm> FetchedFormStore::forms(qint64 pageConfigId, QString *error)
{
    setError(error, {});
    QList<GraphForm> result;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT form_id, name, status, questions FROM fetched_forms "
                             "WHERE page_config_id = ? ORDER BY position, id"));
    q.addBindValue(pageConfigId);
    if (!q.exec()) {
        setError(error,
                 QStringLiteral("The fetched forms cannot be read: %1").arg(q.lastError().text()));
        return result;
    }
    while (q.next()) {
        GraphForm f;
        f.id = q.value(0).toString();
        f.name = q.value(1).toString();
        f.status = q.value(2).toString();
        f.questions = questionsFromJson(q.value(3).toString().toUtf8());
        result.append(f);
    }
    return result;
}

QString FetchedFormStore::formName(qint64 pageConfigId, const QString &formId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT name FROM fetched_forms WHERE page_config_id = ? AND form_id = ?"));
    q.addBindValue(pageConfigId);
    q.addBindValue(formId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

bool FetchedFormStore::replace(qint64 pageConfigId, const QList<GraphForm> &forms,
                               qint64 fetchedAtMs, QString *error)
{
    WriteTransaction tx(m_db); // rolls back unless committed
    if (!tx.isOpen()) {
        setError(error, writeFailure(tx.errorText()));
        return false;
    }
    // Checked rather than left to the foreign key, so the answer is the same when Meta listed no
    // forms (nothing would be inserted to trip it).
    QSqlQuery page(m_db);
    page.setForwardOnly(true);
    page.prepare(QStringLiteral("SELECT 1 FROM page_configs WHERE id = ?"));
    page.addBindValue(pageConfigId);
    if (!page.exec()) {
        setError(error, writeFailure(page.lastError().text()));
        return false;
    }
    const bool pageExists = page.next();
    page.finish();
    if (!pageExists) {
        setError(error,
                 writeFailure(QStringLiteral("the page no longer exists (removed elsewhere?).")));
        return false;
    }

    QSqlQuery clear(m_db);
    clear.prepare(QStringLiteral("DELETE FROM fetched_forms WHERE page_config_id = ?"));
    clear.addBindValue(pageConfigId);
    if (!clear.exec()) {
        setError(error, writeFailure(clear.lastError().text()));
        return false;
    }
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral(
        "INSERT INTO fetched_forms (page_config_id, position, form_id, name, status, questions, "
        "fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (page_config_id, form_id) DO UPDATE SET name = excluded.name, "
        "status = excluded.status, questions = excluded.questions"));
    for (qsizetype i = 0; i < forms.size(); ++i) {
        const GraphForm &f = forms.at(i);
        insert.bindValue(0, pageConfigId);
        insert.bindValue(1, qint64(i));
        insert.bindValue(2, sqlText(f.id));
        insert.bindValue(3, sqlText(f.name));
        insert.bindValue(4, sqlText(f.status));
        insert.bindValue(5, QString::fromUtf8(questionsJson(f)));
        insert.bindValue(6, fetchedAtMs);
        if (!insert.exec()) {
            setError(error, writeFailure(insert.lastError().text()));
            return false;
        }
    }
    if (!tx.commit()) {
        setError(error, writeFailure(tx.errorText()));
        return false;
    }
    return true;
}

} // namespace leadkeeper
