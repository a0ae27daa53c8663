#pragma once

#include "audio/DeviceEnumerator.h"

#include <initializer_list>
#include <mutex>
#include <string>

// Device lists for the hot-plug tests: snapshots built from IDs, and an enumerator whose list
// the test changes while a DeviceWatcher polls it.
namespace earshot::audio::test {

// Devices with both directions, unless the ID starts with "in:" (input only) or "out:"
// (output only).
inline DeviceSnapshot makeSnapshot(std::initializer_list<const char*> ids, const char* defaultInput,
                                   const char* defaultOutput)
{
    DeviceSnapshot snapshot;
    for (const char* id : ids) {
        AudioDeviceInfo info;
        info.id = id;
        info.name = std::string("Device ") + id;
        const std::string text(id);
        info.maxInputChannels = text.starts_with("out:") ? 0 : 2;
        info.maxOutputChannels = text.starts_with("in:") ? 0 : 2;
        info.isDefaultInput = text == defaultInput;
        info.isDefaultOutput = text == defaultOutput;
        info.defaultSampleRateHz = 48000.0;
        snapshot.devices.push_back(info);
    }
    snapshot.defaultInputId = defaultInput;
    snapshot.defaultOutputId = defaultOutput;
    return snapshot;
}

class FakeEnumerator final : public DeviceEnumerator {
public:
    DeviceSnapshot enumerate() override
    {
        const std::lock_guard lock(m_mutex);
        ++m_calls;
        return m_snapshot;
    }

    void set(DeviceSnapshot snapshot)
    {
        const std::lock_guard lock(m_mutex);
        m_snapshot = std::move(snapshot);
    }

    int calls() const
    {
        const std::lock_guard lock(m_mutex);
        return m_calls;
    }

private:
    mutable std::mutex m_mutex;
    DeviceSnapshot m_snapshot;
    int m_calls = 0;
};

} // namespace earshot::audio::test
