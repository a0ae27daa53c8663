#include "audio/DeviceSelector.h"

namespace earshot::audio {

DeviceSelector::DeviceSelector(DeviceDirection direction, std::string preferredDeviceId)
    : m_direction(direction)
    , m_preferred(std::move(preferredDeviceId))
{
}

DeviceSelector::Choice DeviceSelector::choose(const DeviceSnapshot& snapshot) const
{
    if (!m_preferred.empty() && !m_preferredFailed && snapshot.find(m_preferred, m_direction) != nullptr)
        return {m_preferred, false};
    const std::string& defaultId = snapshot.defaultId(m_direction);
    const bool fallback = !m_preferred.empty();
    if (!defaultId.empty() && snapshot.find(defaultId, m_direction) != nullptr)
        return {defaultId, fallback};
    return {{}, fallback};
}

DeviceSelection DeviceSelector::select(const Choice& choice, SelectionReason reason)
{
    m_current = {choice.deviceId, choice.isFallback, choice.deviceId.empty() ? SelectionReason::NoDevice : reason};
    m_hasSelection = true;
    m_rescanRequested = false;
    return m_current;
}

std::optional<DeviceSelection> DeviceSelector::update(const DeviceSnapshot& snapshot)
{
    // Gone from a fresh list: when it comes back it is a new plug-in, worth trying again.
    if (m_preferredFailed && !snapshot.refreshBlocked && snapshot.find(m_preferred, m_direction) == nullptr)
        m_preferredFailed = false;

    const Choice choice = choose(snapshot);
    if (!m_hasSelection)
        return select(choice, SelectionReason::Initial);

    if (choice.deviceId != m_current.deviceId) {
        SelectionReason reason = SelectionReason::DefaultChanged;
        if (!m_preferred.empty() && choice.deviceId == m_preferred)
            reason = SelectionReason::PreferredReturned;
        else if (!m_preferred.empty() && m_current.deviceId == m_preferred)
            reason = SelectionReason::PreferredLost;
        return select(choice, reason);
    }

    m_current.isFallback = choice.isFallback;
    if (!snapshot.refreshBlocked) {
        m_rescanRequested = false;
    } else if (choice.isFallback && !m_rescanRequested && !m_current.deviceId.empty()) {
        // Only a fresh list can show whether the preferred device is back; ask once per episode.
        m_rescanRequested = true;
        DeviceSelection rescan = m_current;
        rescan.reason = SelectionReason::RescanNeeded;
        return rescan;
    }
    return std::nullopt;
}

std::optional<DeviceSelection> DeviceSelector::setPreferredDevice(std::string deviceId, const DeviceSnapshot& snapshot)
{
    m_preferred = std::move(deviceId);
    m_preferredFailed = false;
    const Choice choice = choose(snapshot);
    if (m_hasSelection && choice.deviceId == m_current.deviceId) {
        m_current.isFallback = choice.isFallback;
        return std::nullopt;
    }
    return select(choice, SelectionReason::PreferenceChanged);
}

DeviceSelection DeviceSelector::reportFailure(const DeviceSnapshot& snapshot)
{
    const bool preferredFailed = !m_preferred.empty() && m_current.deviceId == m_preferred;
    if (preferredFailed)
        m_preferredFailed = true;
    return select(choose(snapshot), preferredFailed ? SelectionReason::PreferredLost : SelectionReason::DeviceFailed);
}

} // namespace earshot::audio
