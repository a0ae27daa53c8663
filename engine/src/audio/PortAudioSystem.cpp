#include "audio/PortAudioSystem.h"

#include "audio/SoundServerProbe.h"

#include <portaudio.h>

#include <cassert>
#include <fstream>
#include <map>
#include <sstream>

namespace earshot::audio {

namespace {

// What identifies the devices PortAudio's ALSA backend would list: the sound cards and their
// PCM devices, and the sound server behind the "pulse" and "default" devices. Where there is no
// /proc/asound (no ALSA, or not Linux) hardware changes are not detected cheaply and every idle
// enumerate() re-initialises.
std::string hardwareFingerprint()
{
#ifdef __linux__
    std::string fingerprint = soundServerFingerprint();
    for (const char* path : {"/proc/asound/cards", "/proc/asound/pcm"}) {
        std::ifstream file(path);
        std::ostringstream contents;
        contents << file.rdbuf();
        fingerprint += contents.str();
        fingerprint += '\n';
    }
    return fingerprint;
#else
    return {};
#endif
}

constexpr bool kHasFingerprint =
#ifdef __linux__
    true;
#else
    false;
#endif

} // namespace

PortAudioSystem::PortAudioSystem()
{
    const std::lock_guard guard(m_mutex);
    m_initialised = Pa_Initialize() == paNoError;
    m_hardwareFingerprint = hardwareFingerprint();
    listLocked();
}

PortAudioSystem::~PortAudioSystem()
{
    const std::lock_guard guard(m_mutex);
    assert(m_openStreams == 0 && "close every PortAudioDevice before destroying PortAudioSystem");
    if (m_initialised)
        Pa_Terminate();
}

AudioError PortAudioSystem::initError() const
{
    const std::lock_guard guard(m_mutex);
    return m_initialised ? AudioError::None : AudioError::Generic;
}

void PortAudioSystem::invalidate()
{
    const std::lock_guard guard(m_mutex);
    m_refreshWanted = true;
}

DeviceSnapshot PortAudioSystem::enumerate()
{
    const std::lock_guard guard(m_mutex);
    const std::string fingerprint = hardwareFingerprint();
    const bool hardwareChanged = fingerprint != m_hardwareFingerprint;
    const bool worthRefreshing =
        hardwareChanged || m_refreshWanted || !kHasFingerprint;
    if (m_openStreams == 0 && worthRefreshing) {
        m_hardwareFingerprint = fingerprint;
        refreshLocked();
    } else if (hardwareChanged) {
        m_snapshot.refreshBlocked = true;
    }
    return m_snapshot;
}

void PortAudioSystem::refreshLocked()
{
    assert(m_openStreams == 0);
    if (m_initialised)
        Pa_Terminate();
    m_initialised = Pa_Initialize() == paNoError;
    m_refreshWanted = false;
    listLocked();
}

void PortAudioSystem::listLocked()
{
    m_snapshot = {};
    m_indices.clear();
    m_inputLowLatencySeconds.clear();
    m_outputLowLatencySeconds.clear();
    if (!m_initialised)
        return;

    const PaDeviceIndex defaultInput = Pa_GetDefaultInputDevice();
    const PaDeviceIndex defaultOutput = Pa_GetDefaultOutputDevice();
    std::map<std::string, int> seen; // base ID → occurrences, for twins
    const PaDeviceIndex count = Pa_GetDeviceCount();
    for (PaDeviceIndex index = 0; index < count; ++index) {
        const PaDeviceInfo* device = Pa_GetDeviceInfo(index);
        if (device == nullptr)
            continue;
        const PaHostApiInfo* hostApi = Pa_GetHostApiInfo(device->hostApi);
        AudioDeviceInfo info;
        info.name = device->name != nullptr ? device->name : "";
        // Appended piece by piece: GCC 12 at -O3 misreports `"literal" + std::string&&` as
        // overlapping memcpy (-Werror=restrict, GCC bug 105329), which breaks the release build.
        std::string id = hostApi != nullptr && hostApi->name != nullptr ? hostApi->name : "?";
        id += ':';
        id += info.name;
        const int occurrence = ++seen[id];
        if (occurrence > 1) {
            id += '#';
            id += std::to_string(occurrence);
        }
        info.id = std::move(id);
        info.isDefaultInput = index == defaultInput;
        info.isDefaultOutput = index == defaultOutput;
        info.maxInputChannels = device->maxInputChannels;
        info.maxOutputChannels = device->maxOutputChannels;
        info.defaultSampleRateHz = device->defaultSampleRate;
        if (info.isDefaultInput)
            m_snapshot.defaultInputId = info.id;
        if (info.isDefaultOutput)
            m_snapshot.defaultOutputId = info.id;
        m_snapshot.devices.push_back(std::move(info));
        m_indices.push_back(index);
        m_inputLowLatencySeconds.push_back(device->defaultLowInputLatency);
        m_outputLowLatencySeconds.push_back(device->defaultLowOutputLatency);
    }
}

bool PortAudioSystem::resolve(const std::string& id, DeviceDirection direction, ResolvedDevice& resolved) const
{
    const std::string& wanted = id.empty() ? m_snapshot.defaultId(direction) : id;
    if (wanted.empty())
        return false;
    for (std::size_t i = 0; i < m_snapshot.devices.size(); ++i) {
        const AudioDeviceInfo& info = m_snapshot.devices[i];
        const int channels = direction == DeviceDirection::Input ? info.maxInputChannels : info.maxOutputChannels;
        if (info.id != wanted || channels <= 0)
            continue;
        resolved.index = m_indices[i];
        resolved.info = info;
        resolved.defaultLowLatencySeconds =
            direction == DeviceDirection::Input ? m_inputLowLatencySeconds[i] : m_outputLowLatencySeconds[i];
        return true;
    }
    return false;
}

void PortAudioSystem::streamClosed(bool failed)
{
    assert(m_openStreams > 0);
    --m_openStreams;
    // A stream that died may mean a device is gone; the next idle enumeration must look again.
    if (failed)
        m_refreshWanted = true;
}

} // namespace earshot::audio
