#pragma once

#include "meta/graph_client.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace leadkeeper {

/**
 * The lead forms Meta listed for each page config at its last successful "Fetch forms from Meta"
 * (table fetched_forms), so the admin can map a form after a restart without fetching again.
 *
 * A fetched form is NOT a mapped form: the pipeline reads form_mappings only (ConfigStore), and
 * this store never reads or writes that table, nor mapping_rows. A form becomes mapped only when
 * its mapping is saved through ConfigStore::saveForm().
 *
 * Guarantees:
 * - replace() makes the page's fetched set exactly what Meta returned, in Meta's order, in one
 *   WriteTransaction: a form Meta no longer lists disappears, and on any failure the previous set
 *   stays as it was.
 * - A page config's fetched forms are removed with it (ON DELETE CASCADE; the connection runs
 *   with foreign_keys=ON, Database::open).
 * - Every value reaches SQL as a bound parameter; reads run to the end before returning.
 * - Failures are reported through *error as one sentence; an empty list with *error left empty
 *   means "never fetched" (or Meta listed no forms).
 *
 * Thread contract: like ConfigStore, it uses the connection it was given, in the thread that
 * opened it.
 */
class FetchedFormStore
{
public:
    explicit FetchedFormStore(QSqlDatabase db);

    /// The forms of the page's last fetch, in the order Meta listed them, with their questions.
    QList<GraphForm> forms(qint64 pageConfigId, QString *error = nullptr);
    /// The name Meta gave the form at the page's last fetch; "" when it was not fetched (or has no
    /// name, or cannot be read).
    QString formName(qint64 pageConfigId, const QString &formId);

    /// Replaces the page's fetched forms by `forms` (a form id listed twice keeps its first place
    /// and its last contents). Refuses, changing nothing, when the page config does not exist.
    bool replace(qint64 pageConfigId, const QList<GraphForm> &forms, qint64 fetchedAtMs,
                 QString *error);

    /// A form's questions as FormMapping::questions JSON ([{"key","label","type"}]): the shape
    /// stored here, and the one the mapping editor suggests rows from.
    static QByteArray questionsJson(const GraphForm &form);
    /// The questions of such a JSON text. Elements that are not objects, and members that are not
    /// strings, read as empty; anything that is not a JSON array reads as no questions.
    static QList<GraphQuestion> questionsFromJson(const QByteArray &json);

private:
    QSqlDatabase m_db;
};

} // namespace leadkeeper
