#pragma once

#include "audio/AudioDeviceInfo.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::audio {

// Which way audio flows through a device.
enum class DeviceDirection { Input, Output };

// One enumeration of a backend's devices: the list and the defaults (empty ID: no default,
// e.g. no device at all). Plain data, copied between threads by value.
struct DeviceSnapshot {
    std::vector<AudioDeviceInfo> devices;
    std::string defaultInputId;
    std::string defaultOutputId;
    // The hardware changed but this list could not be refreshed because streams are open
    // (PortAudio can only re-enumerate with every stream closed). DeviceSelector then asks its
    // owner for a rescan when that may bring back a preferred device.
    bool refreshBlocked = false;

    bool operator==(const DeviceSnapshot&) const = default;

    // The device with `id` that can do `direction` (has channels for it), or null.
    const AudioDeviceInfo* find(std::string_view id, DeviceDirection direction) const
    {
        const auto it = std::find_if(devices.begin(), devices.end(), [&](const AudioDeviceInfo& device) {
            return device.id == id
                && (direction == DeviceDirection::Input ? device.maxInputChannels : device.maxOutputChannels) > 0;
        });
        return it == devices.end() ? nullptr : &*it;
    }

    const std::string& defaultId(DeviceDirection direction) const
    {
        return direction == DeviceDirection::Input ? defaultInputId : defaultOutputId;
    }
};

} // namespace earshot::audio
