#include "write_gate.h"

#include <QHash>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace leadkeeper {

namespace {

struct Gate
{
    std::mutex mutex;
    std::condition_variable changed;
    bool held = false;
    std::thread::id holder;
    int depth = 0;         // re-entries of the holder (nested writes on other connections)
    int urgentWaiting = 0; // urgent writers queued: normal ones let them pass
    int normalWaiting = 0;
};

thread_local bool t_urgent = false;

Gate &gateFor(const QString &file)
{
    static std::mutex registryMutex;
    static QHash<QString, std::shared_ptr<Gate>> registry; // gates live as long as the process
    std::lock_guard lock(registryMutex);
    auto &gate = registry[file];
    if (!gate)
        gate = std::make_shared<Gate>();
    return *gate;
}

} // namespace

void WriteGate::markCurrentThreadUrgent(bool urgent)
{
    t_urgent = urgent;
}

bool WriteGate::isCurrentThreadUrgent()
{
    return t_urgent;
}

bool WriteGate::enter(const QString &databaseFile, int timeoutMs)
{
    Gate &gate = gateFor(databaseFile);
    std::unique_lock lock(gate.mutex);
    const auto self = std::this_thread::get_id();
    if (gate.held && gate.holder == self) {
        ++gate.depth;
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(qMax(0, timeoutMs));
    bool free = false;
    if (t_urgent) {
        ++gate.urgentWaiting;
        free = gate.changed.wait_until(lock, deadline, [&] { return !gate.held; });
        --gate.urgentWaiting;
        if (!free)
            gate.changed.notify_all(); // normal writers may have been holding back for us
    } else {
        ++gate.normalWaiting;
        free = gate.changed.wait_until(lock, deadline,
                                       [&] { return !gate.held && gate.urgentWaiting == 0; });
        --gate.normalWaiting;
    }
    if (!free)
        return false;
    gate.held = true;
    gate.holder = self;
    gate.depth = 0;
    return true;
}

void WriteGate::leave(const QString &databaseFile)
{
    Gate &gate = gateFor(databaseFile);
    {
        std::lock_guard lock(gate.mutex);
        if (!gate.held || gate.holder != std::this_thread::get_id())
            return;
        if (gate.depth > 0) {
            --gate.depth;
            return;
        }
        gate.held = false;
        gate.holder = {};
    }
    gate.changed.notify_all();
}

WriteGate::Queue WriteGate::queue(const QString &databaseFile)
{
    Gate &gate = gateFor(databaseFile);
    std::lock_guard lock(gate.mutex);
    return Queue{gate.urgentWaiting, gate.normalWaiting, gate.held};
}

} // namespace leadkeeper
