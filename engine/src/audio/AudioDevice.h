#pragma once

#include "audio/AudioCallback.h"
#include "audio/AudioDeviceInfo.h"
#include "audio/AudioError.h"
#include "audio/AudioFormat.h"
#include "audio/AudioStreamConfig.h"

namespace earshot::audio {

// The lifecycle of a device stream. Failed: the stream died (device vanished, backend error);
// no more callbacks come; close() it and open again (DeviceSelector decides which device).
enum class AudioDeviceState { Closed, Open, Running, Failed };

// The one device interface (DESIGN.md §6), with three backends: PortAudioDevice (real sound
// cards), VirtualAudioDevice (WAV files and generators, for tests, the headless client and
// benchmarks) and NullAudioDevice (silence in, output discarded).
//
// Thread ownership: open(), start(), stop(), close() and checkHealth() are called by one owner
// thread at a time, never from the callback. The callback (AudioCallback, with its real-time
// contract) runs on the device's own real-time thread between start() and stop(). state(),
// lastError() and format() may be called from any thread.
class AudioDevice {
public:
    virtual ~AudioDevice() = default;

    // Opens the stream: resolves devices, allocates every buffer the real-time path will use.
    // Closed → Open. Errors: InvalidDeviceId (unknown ID, no channels for a direction, bad
    // format), InUse, NoPermission, Generic; the device stays Closed. Calling it when not Closed
    // returns Generic. `callback` must outlive the stream (until close()).
    [[nodiscard]] virtual AudioError open(const AudioStreamConfig& config, AudioCallback& callback) = 0;

    // Starts the callbacks. Open → Running. Errors: Generic when not Open; backend errors as in
    // open() (the device stays Open).
    [[nodiscard]] virtual AudioError start() = 0;

    // Stops the callbacks; when it returns, the callback is not running and will not be called
    // again. Running/Failed → Open (Failed stays Failed). No-op otherwise. Never hangs on a
    // vanished device.
    virtual void stop() = 0;

    // Stops if needed and releases the stream. Any state → Closed. Never hangs.
    virtual void close() = 0;

    // Detects a stream that died without telling (a vanished device, a callback that stopped
    // coming). Call it periodically while Running (every DeviceWatcher poll is enough). Returns
    // the error that moved the device to Failed (again on every call while Failed), or None.
    // Thread: the owner's.
    [[nodiscard]] virtual AudioError checkHealth() = 0;

    virtual AudioDeviceState state() const = 0;
    // The error that last made an operation fail or the stream die; None after a clean open().
    virtual AudioError lastError() const = 0;
    // The engine format of the open stream (the callback's), or the default when Closed.
    virtual AudioFormat format() const = 0;
};

} // namespace earshot::audio
