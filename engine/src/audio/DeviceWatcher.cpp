#include "audio/DeviceWatcher.h"

#include <cassert>

namespace earshot::audio {

DeviceWatcher::DeviceWatcher(DeviceEnumerator& enumerator)
    : m_enumerator(enumerator)
{
}

DeviceWatcher::~DeviceWatcher()
{
    stop();
}

DeviceSnapshot DeviceWatcher::start(Listener listener, std::chrono::milliseconds interval)
{
    if (m_thread.joinable())
        return snapshot();
    DeviceSnapshot baseline = m_enumerator.enumerate();
    {
        const std::lock_guard lock(m_mutex);
        m_snapshot = baseline;
        m_stopRequested = false;
        m_pollRequested = false;
    }
    m_listener = std::move(listener);
    m_thread = std::thread([this, interval] { run(interval); });
    return baseline;
}

void DeviceWatcher::stop()
{
    if (!m_thread.joinable())
        return;
    assert(m_thread.get_id() != std::this_thread::get_id());
    {
        const std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void DeviceWatcher::pollNow()
{
    {
        const std::lock_guard lock(m_mutex);
        m_pollRequested = true;
    }
    m_wake.notify_all();
}

DeviceSnapshot DeviceWatcher::snapshot() const
{
    const std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void DeviceWatcher::run(std::chrono::milliseconds interval)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait_for(lock, interval, [this] { return m_stopRequested || m_pollRequested; });
        if (m_stopRequested)
            return;
        m_pollRequested = false;
        const DeviceSnapshot previous = m_snapshot;
        // Enumeration can be slow; the lock is not held meanwhile, so stop() and pollNow()
        // never wait for it.
        lock.unlock();
        const DeviceSnapshot current = m_enumerator.enumerate();
        const DeviceChanges changes = DeviceChanges::between(previous, current);
        lock.lock();
        m_snapshot = current;
        if (changes.isEmpty() || m_stopRequested)
            continue;
        lock.unlock();
        m_listener(changes);
        lock.lock();
    }
}

} // namespace earshot::audio
