#pragma once

#include "audio/DeviceSnapshot.h"

#include <vector>

namespace earshot::audio {

// The difference between two enumerations, by device ID: what a hot-plug report carries.
struct DeviceChanges {
    std::vector<AudioDeviceInfo> added;   // in `current`, not in the previous snapshot
    std::vector<AudioDeviceInfo> removed; // in the previous snapshot, not in `current`
    bool defaultInputChanged = false;
    bool defaultOutputChanged = false;
    // The backend noticed a hardware change it cannot list until streams close.
    bool refreshBlocked = false;
    DeviceSnapshot current;

    bool isEmpty() const
    {
        return added.empty() && removed.empty() && !defaultInputChanged && !defaultOutputChanged && !refreshBlocked;
    }

    // Compares two snapshots. Thread: any; allocates.
    static DeviceChanges between(const DeviceSnapshot& previous, const DeviceSnapshot& current);
};

} // namespace earshot::audio
