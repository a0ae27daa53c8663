#pragma once

#include "audio/DeviceSnapshot.h"

namespace earshot::audio {

// A source of device lists, polled by DeviceWatcher: PortAudioSystem for real devices, a fake
// in tests.
class DeviceEnumerator {
public:
    virtual ~DeviceEnumerator() = default;

    // The current devices and defaults. Must be thread-safe: the watcher calls it on its own
    // thread while the owner may use the backend. May take tens of milliseconds (never call it
    // on a real-time thread); never throws.
    virtual DeviceSnapshot enumerate() = 0;
};

} // namespace earshot::audio
