#include "RedundancyPacker.h"

#include <algorithm>

namespace earshot::codec {

namespace {

constexpr unsigned kVersionShift = 6;
constexpr std::uint8_t kReservedMask = 0x3C;
constexpr std::uint8_t kCountMask = 0x03;
constexpr unsigned kOffsetShift = 10;
constexpr std::uint32_t kLengthMask = 0x3FF;

// Checks the block list the way unpack() would, so serialize() can only write what unpack()
// accepts.
RedundancyError validateBlocks(std::span<const RedundantBlock> redundant) noexcept
{
    if (redundant.size() > static_cast<std::size_t>(kMaxRedundantFrames))
        return RedundancyError::TooManyBlocks;
    std::uint32_t previousOffset = kMaxRedundantTimestampOffset + 1;
    for (const RedundantBlock& block : redundant) {
        if (block.timestampOffset == 0 || block.timestampOffset >= previousOffset)
            return RedundancyError::BadOffset;
        if (block.payload.empty() || block.payload.size() > kMaxRedundantBlockBytes)
            return RedundancyError::BadBlockLength;
        previousOffset = block.timestampOffset;
    }
    return RedundancyError::None;
}

} // namespace

const char* errorText(RedundancyError error) noexcept
{
    switch (error) {
    case RedundancyError::None:
        return "none";
    case RedundancyError::Empty:
        return "empty payload";
    case RedundancyError::Oversized:
        return "payload too large";
    case RedundancyError::UnsupportedVersion:
        return "unsupported redundancy format version";
    case RedundancyError::ReservedBitsSet:
        return "reserved bits set";
    case RedundancyError::TooManyBlocks:
        return "too many redundant blocks";
    case RedundancyError::Truncated:
        return "truncated payload";
    case RedundancyError::BadOffset:
        return "bad redundant timestamp offset";
    case RedundancyError::BadBlockLength:
        return "bad redundant block length";
    case RedundancyError::EmptyPrimary:
        return "empty primary packet";
    case RedundancyError::BufferTooSmall:
        return "output buffer too small";
    }
    return "unknown redundancy error";
}

void RedundancyPacker::setRedundantFrames(int frames) noexcept
{
    m_redundantFrames = std::clamp(frames, 0, kMaxRedundantFrames);
}

void RedundancyPacker::clearHistory() noexcept
{
    for (RememberedFrame& frame : m_history)
        frame.size = 0;
}

RedundancyPackResult RedundancyPacker::pack(std::span<const std::uint8_t> primary, std::uint32_t timestamp,
                                            std::span<std::uint8_t> out) noexcept
{
    if (primary.empty())
        return {RedundancyError::EmptyPrimary, 0, 0};
    if (kRedundancyHeaderBytes + primary.size() > kMaxRedundancyPayloadBytes)
        return {RedundancyError::Oversized, 0, 0};

    // Most recent first; the chain stops at the first frame that is missing, too large to
    // repeat, or outside the offset range (a timestamp jump), so offsets strictly increase.
    std::array<RedundantBlock, kMaxRedundantFrames> newestFirst {};
    std::size_t count = 0;
    std::uint32_t previousOffset = 0;
    for (int i = 0; i < m_redundantFrames; ++i) {
        const RememberedFrame& frame = m_history[static_cast<std::size_t>(i)];
        const std::uint32_t offset = timestamp - frame.timestamp; // modulo 2^32, as RTP wraps
        if (frame.size == 0 || offset <= previousOffset || offset > kMaxRedundantTimestampOffset)
            break;
        newestFirst[count++] = {offset, std::span<const std::uint8_t>(frame.bytes.data(), frame.size)};
        previousOffset = offset;
    }

    // Fit the budget by dropping the oldest repeats first: the newest earlier frame is the one
    // a single loss needs.
    const auto sizeWith = [&](std::size_t blocks) {
        std::size_t total = kRedundancyHeaderBytes + primary.size();
        for (std::size_t i = 0; i < blocks; ++i)
            total += kRedundantBlockHeaderBytes + newestFirst[i].payload.size();
        return total;
    };
    const std::size_t budget = std::min(out.size(), kMaxRedundancyPayloadBytes);
    while (count > 0 && sizeWith(count) > budget)
        --count;

    std::array<RedundantBlock, kMaxRedundantFrames> oldestFirst {};
    std::reverse_copy(newestFirst.begin(), newestFirst.begin() + static_cast<std::ptrdiff_t>(count),
                      oldestFirst.begin());
    RedundancyPackResult result = serialize(std::span(oldestFirst.data(), count), primary, out);
    if (result.error == RedundancyError::None)
        remember(primary, timestamp);
    return result;
}

void RedundancyPacker::remember(std::span<const std::uint8_t> frame, std::uint32_t timestamp) noexcept
{
    // Two slots of at most 1 KiB: shifting costs less than a cache miss would and keeps
    // m_history[0] the newest without ring arithmetic.
    for (std::size_t i = m_history.size() - 1; i > 0; --i) {
        RememberedFrame& to = m_history[i];
        const RememberedFrame& from = m_history[i - 1];
        std::copy_n(from.bytes.begin(), from.size, to.bytes.begin());
        to.size = from.size;
        to.timestamp = from.timestamp;
    }
    RememberedFrame& newest = m_history[0];
    newest.timestamp = timestamp;
    // A frame too large for a block's 10-bit length is remembered as a gap, which also stops
    // older frames from being repeated around it.
    newest.size = frame.size() <= kMaxRedundantBlockBytes ? frame.size() : 0;
    std::copy_n(frame.begin(), newest.size, newest.bytes.begin());
}

RedundancyPackResult RedundancyPacker::serialize(std::span<const RedundantBlock> redundant,
                                                 std::span<const std::uint8_t> primary,
                                                 std::span<std::uint8_t> out) noexcept
{
    if (const RedundancyError error = validateBlocks(redundant); error != RedundancyError::None)
        return {error, 0, 0};
    if (primary.empty())
        return {RedundancyError::EmptyPrimary, 0, 0};

    std::size_t total = kRedundancyHeaderBytes + primary.size();
    for (const RedundantBlock& block : redundant)
        total += kRedundantBlockHeaderBytes + block.payload.size();
    if (total > kMaxRedundancyPayloadBytes)
        return {RedundancyError::Oversized, 0, 0};
    if (total > out.size())
        return {RedundancyError::BufferTooSmall, 0, 0};

    std::size_t at = 0;
    out[at++] = static_cast<std::uint8_t>((kRedundancyFormatVersion << kVersionShift) | redundant.size());
    for (const RedundantBlock& block : redundant) {
        const std::uint32_t word = (block.timestampOffset << kOffsetShift) | static_cast<std::uint32_t>(block.payload.size());
        out[at++] = static_cast<std::uint8_t>(word >> 16);
        out[at++] = static_cast<std::uint8_t>(word >> 8);
        out[at++] = static_cast<std::uint8_t>(word);
    }
    for (const RedundantBlock& block : redundant) {
        std::copy(block.payload.begin(), block.payload.end(), out.subspan(at).begin());
        at += block.payload.size();
    }
    std::copy(primary.begin(), primary.end(), out.subspan(at).begin());
    return {RedundancyError::None, total, static_cast<int>(redundant.size())};
}

RedundancyUnpackResult RedundancyPacker::unpack(std::span<const std::uint8_t> payload) noexcept
{
    RedundancyUnpackResult result;
    const auto fail = [&result](RedundancyError error) {
        result.error = error;
        result.primary = {};
        result.redundantCount = 0;
        return result;
    };

    if (payload.empty())
        return fail(RedundancyError::Empty);
    if (payload.size() > kMaxRedundancyPayloadBytes)
        return fail(RedundancyError::Oversized);

    const std::uint8_t header = payload[0];
    if ((header >> kVersionShift) != kRedundancyFormatVersion)
        return fail(RedundancyError::UnsupportedVersion);
    if ((header & kReservedMask) != 0)
        return fail(RedundancyError::ReservedBitsSet);
    const std::size_t count = header & kCountMask;
    if (count > static_cast<std::size_t>(kMaxRedundantFrames))
        return fail(RedundancyError::TooManyBlocks);

    // All sizes below are bounded by kMaxRedundancyPayloadBytes, so no sum can overflow.
    const std::size_t headersEnd = kRedundancyHeaderBytes + count * kRedundantBlockHeaderBytes;
    if (headersEnd > payload.size())
        return fail(RedundancyError::Truncated);

    std::size_t dataAt = headersEnd;
    std::uint32_t previousOffset = kMaxRedundantTimestampOffset + 1;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = kRedundancyHeaderBytes + i * kRedundantBlockHeaderBytes;
        const std::uint32_t word = (std::uint32_t {payload[at]} << 16) | (std::uint32_t {payload[at + 1]} << 8)
            | std::uint32_t {payload[at + 2]};
        const std::uint32_t offset = word >> kOffsetShift;
        const std::size_t length = word & kLengthMask;
        if (offset == 0 || offset >= previousOffset)
            return fail(RedundancyError::BadOffset);
        if (length == 0)
            return fail(RedundancyError::BadBlockLength);
        if (length > payload.size() - dataAt)
            return fail(RedundancyError::Truncated);
        result.redundant[i] = {offset, payload.subspan(dataAt, length)};
        dataAt += length;
        previousOffset = offset;
    }
    if (dataAt >= payload.size())
        return fail(RedundancyError::EmptyPrimary);

    result.error = RedundancyError::None;
    result.primary = payload.subspan(dataAt);
    result.redundantCount = static_cast<int>(count);
    return result;
}

} // namespace earshot::codec
