#pragma once

#include "config/page_config.h"
#include "processing/mapping_types.h"
#include "processing/processing_engine.h"
#include "settings/settings.h"
#include "store/database.h"

#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace leadkeeper {
class ListenerThread;
namespace test {
class FakeGraphServer;
}
} // namespace leadkeeper

namespace leadkeeper::bench {

/**
 * The world a bulk reprocess runs in, all in this process: a temporary SQLite file opened through
 * Database::open (WAL, synchronous=FULL), one page with its access token in a file SecretStore and
 * one mapped contact form, N lead log entries in status Error without a stored lead payload (so
 * every reprocess fetches the lead from Meta), a FakeGraphServer that serves those leads after a
 * fixed delay, and the real webhook listener on 127.0.0.1:0 (started on demand).
 *
 * resetForRun() puts the database back to the seeded state (entries Error, no Leads, no outbox,
 * history and webhook entries of earlier runs removed, WAL checkpointed) and re-scripts the fake
 * Graph from scratch (it records every request it serves; without a reset that record would grow
 * by a few MiB per run and pass for our memory), so every run starts from the same place. Owned
 * and used by the main thread.
 */
class ReprocessBed
{
public:
    static constexpr const char *kAppSecret = "bench-app-secret";
    static const QString kPageId;
    static const QString kFormId;
    static const QByteArray kToken;
    /// Seeded leads get 19-digit ids from here up; webhook probes use kProbeIdBase and up.
    static constexpr qint64 kSeedIdBase = 7100000000000000000LL;
    static constexpr qint64 kProbeIdBase = 7200000000000000000LL;

    ReprocessBed();
    ~ReprocessBed();

    /// Creates everything; false with *error on failure. `workDir` "" = the system temp folder.
    bool open(const QString &workDir, int graphThreads, int graphDelayMs, QString *error);
    /// Stores `leads` entries (batches of 1,000 through LeadLogStore::storeDelivery), marks them
    /// Error with one UPDATE, and scripts the fake Graph to serve each one.
    bool seed(int leads, QString *error);
    bool resetForRun(QString *error);

    bool startListener(QString *error);
    quint16 listenerPort() const;

    /// An engine configuration at `concurrency` against the fake Graph, file secret store.
    ProcessingEngine::Config engineConfig(int concurrency) const;

    struct Counts
    {
        qint64 processed = 0, error = 0, pending = 0, other = 0, leads = 0, outbox = 0;
    };
    Counts seededCounts();
    qint64 seededCount() const { return m_seeded; }

    QString databasePath() const;
    QString secretsDirectory() const;
    QString directory() const { return m_dir ? m_dir->path() : QString(); }
    const Settings &settings() const { return m_settings; }
    QSqlDatabase sql() { return m_db->sql(); }
    int schemaVersion() const { return m_db ? m_db->schemaVersion() : 0; }
    test::FakeGraphServer &graph() { return *m_graph; }
    PageConfig page() const { return m_page; }
    FormMapping form() const { return m_form; }
    /// A Graph lead body as the fake serves it (the same answers for every lead).
    static QByteArray leadJson(const QString &leadgenId, int n);

private:
    bool exec(const QString &sqlText, QString *error, const QVariantList &binds = {});
    void scriptGraph();
    bool configurePage(QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    Settings m_settings = Settings::defaults();
    std::optional<Database> m_db;
    std::unique_ptr<test::FakeGraphServer> m_graph;
    std::unique_ptr<ListenerThread> m_listener;
    PageConfig m_page;
    FormMapping m_form;
    qint64 m_seeded = 0;
    int m_graphDelayMs = 0;
    qint64 m_maxSeededId = 0;
    qint64 m_seedHistoryMaxId = 0;
};

} // namespace leadkeeper::bench
