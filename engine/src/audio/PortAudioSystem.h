#pragma once

#include "audio/AudioError.h"
#include "audio/DeviceEnumerator.h"

#include <mutex>
#include <string>
#include <vector>

namespace earshot::audio {

class PortAudioDevice;

// The PortAudio library as one RAII object (STYLE.md: one wrapper per C dependency):
// Pa_Initialize() in the constructor, Pa_Terminate() in the destructor, and the device
// enumeration with stable IDs ("host API name:device name", "#2", "#3"… for same-named twins in
// enumeration order), so a saved choice survives restarts and re-enumerations.
//
// PortAudio fixes its device list at Pa_Initialize() and can only re-enumerate by terminating
// and initialising again, which is impossible while a stream is open. So enumerate() refreshes
// (re-initialises) only when no PortAudioDevice has a stream open and something may have
// changed: on Linux the ALSA card/PCM list in /proc/asound changed or the sound server stopped or
// started (SoundServerProbe), or a stream failed since. Elsewhere it refreshes on every call
// made with no stream open. While streams are open it returns the last list, with
// refreshBlocked set when the hardware is known to have changed (DeviceSelector reacts to that).
//
// Exactly one PortAudioSystem should exist per process (PortAudio's state is global); the
// engine's composition root owns it and several engines share it by reference.
//
// Thread ownership: thread-safe. Every PortAudio call of this class and of PortAudioDevice
// (except inside the real-time callbacks, which make none) is serialised by one mutex, because
// PortAudio itself is not thread-safe; so DeviceWatcher may enumerate on its thread while the
// owner opens and closes streams on another. Never call it from a real-time thread.
class PortAudioSystem final : public DeviceEnumerator {
public:
    PortAudioSystem();
    // Every PortAudioDevice must be closed (destroyed) first (asserted).
    ~PortAudioSystem() override;
    PortAudioSystem(const PortAudioSystem&) = delete;
    PortAudioSystem& operator=(const PortAudioSystem&) = delete;

    // None, or Generic when Pa_Initialize() failed (then there are no devices and every open
    // fails). Thread: any.
    AudioError initError() const;

    // The devices and defaults, refreshed as described above. Thread: any non-real-time.
    DeviceSnapshot enumerate() override;

    // Makes the next enumerate() with no stream open re-initialise PortAudio unconditionally.
    // Thread: any non-real-time.
    void invalidate();

private:
    friend class PortAudioDevice;

    // What PortAudioDevice needs to open a stream; valid while the lock is held.
    struct ResolvedDevice {
        int index = -1; // PaDeviceIndex
        AudioDeviceInfo info;
        double defaultLowLatencySeconds = 0.0;
    };

    std::unique_lock<std::mutex> lock() { return std::unique_lock(m_mutex); }
    // Lock held. `id` empty: the default for `direction`. Null when unknown or without channels
    // for that direction.
    bool resolve(const std::string& id, DeviceDirection direction, ResolvedDevice& resolved) const;
    // Lock held. Stream bookkeeping: no refresh while any stream is open.
    void streamOpened() { ++m_openStreams; }
    void streamClosed(bool failed);

    void refreshLocked();
    void listLocked();

    mutable std::mutex m_mutex; // guards everything below and every Pa_* call
    bool m_initialised = false;
    int m_openStreams = 0;
    bool m_refreshWanted = false;
    std::string m_hardwareFingerprint;
    DeviceSnapshot m_snapshot;
    std::vector<int> m_indices;                 // PaDeviceIndex of m_snapshot.devices[i]
    std::vector<double> m_inputLowLatencySeconds;  // per device, PortAudio's suggestion
    std::vector<double> m_outputLowLatencySeconds;
};

} // namespace earshot::audio
