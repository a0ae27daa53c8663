#pragma once

#include "audio/DeviceChanges.h"
#include "audio/DeviceEnumerator.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace earshot::audio {

// Hot-plug detection: polls a DeviceEnumerator on its own (non-real-time) thread and reports
// every change — devices added or removed, a new default input or output — to a listener.
//
// Why polling: PortAudio has no device-change notification, and the obvious event source, Qt
// Multimedia's QMediaDevices, links QtGui, which the engine must not (DESIGN.md §1). A poll
// every ~2 s is cheap (PortAudioSystem re-enumerates only when something can have changed) and
// works on every platform.
//
// Thread ownership: start()/stop()/pollNow() from one owner thread. The listener is called on
// the watcher's thread (never on a real-time thread), one call at a time; to reach a Qt object,
// it posts a queued invocation. snapshot() from any thread.
class DeviceWatcher {
public:
    static constexpr std::chrono::milliseconds kDefaultInterval{2000};

    using Listener = std::function<void(const DeviceChanges&)>;

    // `enumerator` must outlive the watcher.
    explicit DeviceWatcher(DeviceEnumerator& enumerator);
    ~DeviceWatcher();
    DeviceWatcher(const DeviceWatcher&) = delete;
    DeviceWatcher& operator=(const DeviceWatcher&) = delete;

    // Enumerates once on the calling thread (the baseline, returned; not reported), then polls
    // every `interval` on the watcher thread and calls `listener` with each non-empty change.
    // No-op returning the current snapshot when already running. Thread: owner; spawns a thread.
    DeviceSnapshot start(Listener listener, std::chrono::milliseconds interval = kDefaultInterval);

    // Stops and joins the thread; when it returns, the listener is not running and will not be
    // called again. Thread: owner, never the listener itself. No-op when stopped.
    void stop();

    // Wakes the watcher for a poll now instead of at the next interval (e.g. after the device
    // in use failed). Thread: any.
    void pollNow();

    // The last enumeration. Thread: any.
    DeviceSnapshot snapshot() const;

private:
    void run(std::chrono::milliseconds interval);

    DeviceEnumerator& m_enumerator;
    Listener m_listener;
    mutable std::mutex m_mutex; // guards the fields below
    std::condition_variable m_wake;
    bool m_stopRequested = false;
    bool m_pollRequested = false;
    DeviceSnapshot m_snapshot;
    std::thread m_thread;
};

} // namespace earshot::audio
