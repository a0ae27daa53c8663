#include "audio/DeviceChanges.h"

#include <algorithm>

namespace earshot::audio {

namespace {

bool containsId(const std::vector<AudioDeviceInfo>& devices, const std::string& id)
{
    return std::any_of(devices.begin(), devices.end(), [&](const AudioDeviceInfo& device) { return device.id == id; });
}

} // namespace

DeviceChanges DeviceChanges::between(const DeviceSnapshot& previous, const DeviceSnapshot& current)
{
    DeviceChanges changes;
    for (const AudioDeviceInfo& device : current.devices) {
        if (!containsId(previous.devices, device.id))
            changes.added.push_back(device);
    }
    for (const AudioDeviceInfo& device : previous.devices) {
        if (!containsId(current.devices, device.id))
            changes.removed.push_back(device);
    }
    changes.defaultInputChanged = previous.defaultInputId != current.defaultInputId;
    changes.defaultOutputChanged = previous.defaultOutputId != current.defaultOutputId;
    // Reported once, when it starts; the list itself is unchanged meanwhile.
    changes.refreshBlocked = current.refreshBlocked && !previous.refreshBlocked;
    changes.current = current;
    return changes;
}

} // namespace earshot::audio
