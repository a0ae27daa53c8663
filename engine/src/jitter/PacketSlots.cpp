#include "jitter/PacketSlots.h"

#include <algorithm>
#include <bit>

namespace earshot::jitter {

PacketSlots::PacketSlots(int slotCount, int maxPayloadBytes)
    : m_maxPayloadBytes(std::max(1, maxPayloadBytes))
{
    const auto count = std::bit_ceil(static_cast<std::size_t>(std::max(2, slotCount)));
    m_slots.resize(count);
    m_arena.resize(count * static_cast<std::size_t>(m_maxPayloadBytes));
    m_mask = count - 1;
}

const BufferedPacket* PacketSlots::find(std::uint64_t sequence) const noexcept
{
    const Slot& slot = m_slots[index(sequence)];
    return slot.used && slot.packet.sequence == sequence ? &slot.packet : nullptr;
}

bool PacketSlots::store(const BufferedPacket& packet) noexcept
{
    if (packet.payload.size() > static_cast<std::size_t>(m_maxPayloadBytes))
        return false;
    const std::size_t i = index(packet.sequence);
    Slot& slot = m_slots[i];
    if (slot.used && slot.packet.sequence != packet.sequence)
        return false;
    std::uint8_t* bytes = m_arena.data() + i * static_cast<std::size_t>(m_maxPayloadBytes);
    std::copy(packet.payload.begin(), packet.payload.end(), bytes);
    if (!slot.used)
        ++m_size;
    slot.used = true;
    slot.packet = packet;
    slot.packet.payload = std::span<const std::uint8_t>(bytes, packet.payload.size());
    return true;
}

void PacketSlots::remove(std::uint64_t sequence) noexcept
{
    Slot& slot = m_slots[index(sequence)];
    if (slot.used && slot.packet.sequence == sequence) {
        slot.used = false;
        --m_size;
    }
}

void PacketSlots::clear() noexcept
{
    for (Slot& slot : m_slots)
        slot.used = false;
    m_size = 0;
}

std::optional<std::uint64_t> PacketSlots::firstAtOrAfter(std::uint64_t from) const noexcept
{
    if (m_size == 0)
        return std::nullopt;
    // Counted, not compared with from + capacity, which could wrap around 2^64.
    for (std::uint64_t offset = 0; offset < m_slots.size(); ++offset) {
        if (find(from + offset) != nullptr)
            return from + offset;
    }
    return std::nullopt;
}

} // namespace earshot::jitter
