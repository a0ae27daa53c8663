#pragma once

#include "audio/DeviceSnapshot.h"

#include <optional>
#include <string>

namespace earshot::audio {

// Why DeviceSelector chose (or asks for) a device.
enum class SelectionReason {
    Initial,           // the first selection
    PreferenceChanged, // the user chose another device
    PreferredLost,     // the chosen device vanished (or failed): falling back to the default
    PreferredReturned, // the chosen device is back: recovering to it
    DefaultChanged,    // following the system default, which moved
    DeviceFailed,      // the device in use failed; open this one (possibly the same) again
    RescanNeeded,      // in fallback, the hardware changed but the list is frozen by the open
                       // stream: close it, re-enumerate, call update() and open current()
    NoDevice,          // nothing usable for this direction (deviceId empty)
};

struct DeviceSelection {
    std::string deviceId;    // empty: no device available
    bool isFallback = false; // a preferred device is set but not the one in use
    SelectionReason reason = SelectionReason::Initial;

    bool operator==(const DeviceSelection&) const = default;
};

// The hot-plug policy for one direction, as pure logic over DeviceSnapshots (so it is tested
// with a fake enumeration): use the user's preferred device when it is present; when it
// vanishes or fails, fall back to the system default and follow the default while in fallback;
// when the preferred device returns, recover to it. With no preference, follow the default.
//
// Every call returns the new selection when the device to open changes (or, for
// RescanNeeded, when the owner must act), and nothing when the open device stays right. A
// preferred device that failed while still listed is not chosen again until it has vanished
// from a fresh enumeration and come back, or until the user chooses again — so a device that
// keeps failing does not make the owner loop.
//
// Thread ownership: one owner thread (the one that opens and closes the AudioDevice). No
// internal synchronisation.
class DeviceSelector {
public:
    // `preferredDeviceId`: the user's choice; empty = the system default.
    explicit DeviceSelector(DeviceDirection direction, std::string preferredDeviceId = {});

    // Feeds an enumeration (the baseline, then each DeviceWatcher report). The first call always
    // returns a selection (reason Initial, or NoDevice).
    std::optional<DeviceSelection> update(const DeviceSnapshot& snapshot);

    // The user chose `deviceId` (empty = the system default). Returns a selection (reason
    // PreferenceChanged) when the device to open changes, or when there was none yet.
    std::optional<DeviceSelection> setPreferredDevice(std::string deviceId, const DeviceSnapshot& snapshot);

    // The device in use failed (AudioDevice::checkHealth() or open() reported an error). Always
    // returns what to open next: the default when the failed device was the preferred one
    // (reason PreferredLost), else the same or the current default (DeviceFailed), or nothing
    // (NoDevice).
    DeviceSelection reportFailure(const DeviceSnapshot& snapshot);

    // The selection in force (reason: the one it was made for).
    const DeviceSelection& current() const { return m_current; }
    const std::string& preferredDevice() const { return m_preferred; }

private:
    struct Choice {
        std::string deviceId;
        bool isFallback = false;
    };

    Choice choose(const DeviceSnapshot& snapshot) const;
    DeviceSelection select(const Choice& choice, SelectionReason reason);

    const DeviceDirection m_direction;
    std::string m_preferred;
    bool m_preferredFailed = false;
    bool m_hasSelection = false;
    bool m_rescanRequested = false;
    DeviceSelection m_current;
};

} // namespace earshot::audio
