#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace earshot::jitter {

// One packet waiting for its playout time. `payload` points into the PacketSlots arena and
// stays valid until the slot is removed, cleared or overwritten.
struct BufferedPacket {
    std::uint64_t sequence = 0;         // extended (48-bit) RTP sequence number
    std::int64_t timestamp = 0;         // unwrapped RTP timestamp, 48 kHz frames
    std::int64_t arrivalUs = 0;         // arrival on the caller's monotonic clock
    int frames = -1;                    // duration from the decoder; negative when unknown
    std::span<const std::uint8_t> payload;
};

// The jitter buffer's packet store: a fixed ring of slots indexed by sequence number modulo
// the slot count, each with room for one payload of up to maxPayloadBytes. Everything is
// allocated in the constructor, so storing a packet is a copy into memory that already exists
// (the playout path must not allocate).
//
// The caller keeps every stored sequence inside one window of capacity() consecutive numbers
// (JitterBuffer does: it never stores a packet that far ahead of its playout cursor); two
// sequences in the window never share a slot.
//
// Pure logic, not thread-safe: owned by the JitterBuffer and so by the stream's playout thread.
class PacketSlots {
public:
    // `slotCount` is rounded up to a power of two (at least 2); `maxPayloadBytes` at least 1.
    // Allocates slotCount * maxPayloadBytes bytes. Thread: any (construction only).
    PacketSlots(int slotCount, int maxPayloadBytes);

    [[nodiscard]] int capacity() const noexcept { return static_cast<int>(m_slots.size()); }
    [[nodiscard]] int maxPayloadBytes() const noexcept { return m_maxPayloadBytes; }
    [[nodiscard]] int size() const noexcept { return m_size; }
    [[nodiscard]] bool empty() const noexcept { return m_size == 0; }

    // The packet with this sequence, or null. The pointer is valid until the next store(),
    // remove() or clear(). Never allocates.
    [[nodiscard]] const BufferedPacket* find(std::uint64_t sequence) const noexcept;

    // Copies `packet` (its payload bytes into the slot). Returns false, storing nothing, when
    // the payload is larger than maxPayloadBytes() or the slot holds another packet (a caller
    // bug: the window rule above was broken). A packet with the same sequence is replaced.
    bool store(const BufferedPacket& packet) noexcept;

    void remove(std::uint64_t sequence) noexcept;
    void clear() noexcept;

    // The lowest stored sequence in [from, from + capacity()), if any. O(capacity) at worst;
    // called once per lost packet, not per frame.
    [[nodiscard]] std::optional<std::uint64_t> firstAtOrAfter(std::uint64_t from) const noexcept;

private:
    struct Slot {
        bool used = false;
        BufferedPacket packet;
    };

    [[nodiscard]] std::size_t index(std::uint64_t sequence) const noexcept
    {
        return static_cast<std::size_t>(sequence & m_mask);
    }

    std::vector<Slot> m_slots;
    std::vector<std::uint8_t> m_arena; // slot i owns [i * maxPayloadBytes, (i + 1) * maxPayloadBytes)
    std::uint64_t m_mask = 0;
    int m_maxPayloadBytes = 0;
    int m_size = 0;
};

} // namespace earshot::jitter
