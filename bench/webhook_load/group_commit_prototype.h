#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace leadkeeper::bench {

/**
 * A what-if, not the product: the listener's work (verify, parse, store, answer 200 only after the
 * commit) arranged for group commit, to measure what that arrangement would reach here before
 * anyone changes app/.
 *
 *  - N handler threads, each with its own QHttpServer on a BoundedTcpServer, all listening on the
 *    same port (SO_REUSEPORT; the kernel spreads the connections);
 *  - each handler verifies and parses on its own thread, hands the leads to one writer thread and
 *    waits, then answers synchronously (so Qt 6.4.2's deferred-response bug is never reached);
 *  - the writer takes everything queued, stores it with ONE LeadLogStore::storeDelivery (one
 *    transaction, one fsync, synchronous=FULL), and releases the waiting handlers.
 *
 * Simplifications a product would not make: one failing delivery fails its whole batch (a product
 * would use a SAVEPOINT per delivery), and the answer's counts are the batch's.
 */
class GroupCommitPrototype
{
public:
    GroupCommitPrototype(QString databasePath, QByteArray appSecret, int handlerThreads);
    ~GroupCommitPrototype();

    /// Opens the store, starts the writer and the handlers; the port, or 0 with *error set.
    quint16 start(QString *error);
    void stop();

    static const char *handlerThreadName() { return "gc-handler"; }
    /// Commits so far and deliveries they held (mean batch = deliveries / commits).
    qint64 commits() const;
    qint64 deliveries() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace leadkeeper::bench
