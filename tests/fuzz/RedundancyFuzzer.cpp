// libFuzzer target for RedundancyPacker::unpack, the first thing a receiver runs on an opened
// media payload: hostile input must be rejected with an error, never crash, hang or read out of
// bounds. Whatever it accepts must point inside the input and re-serialise to the same bytes (the
// format has one canonical form), so a parser bug that accepts a malformed layout shows up too.
#include "codec/RedundancyPacker.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

using earshot::codec::kMaxRedundancyPayloadBytes;
using earshot::codec::RedundancyError;
using earshot::codec::RedundancyPacker;
using earshot::codec::RedundancyUnpackResult;
using earshot::codec::RedundantBlock;

namespace {

bool inside(std::span<const std::uint8_t> part, const std::uint8_t* data, std::size_t size)
{
    return part.data() >= data && part.data() + part.size() <= data + size;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> input(data, size);
    const RedundancyUnpackResult unpacked = RedundancyPacker::unpack(input);
    if (unpacked.error != RedundancyError::None)
        return 0;

    if (unpacked.primary.empty() || !inside(unpacked.primary, data, size))
        std::abort();
    std::size_t total = 1 + unpacked.primary.size();
    for (const RedundantBlock& block : unpacked.redundantBlocks()) {
        if (block.payload.empty() || !inside(block.payload, data, size) || block.timestampOffset == 0)
            std::abort();
        total += 3 + block.payload.size();
    }
    if (total != size)
        std::abort();

    std::array<std::uint8_t, kMaxRedundancyPayloadBytes> rewritten {};
    const auto again = RedundancyPacker::serialize(unpacked.redundantBlocks(), unpacked.primary, rewritten);
    if (again.error != RedundancyError::None || again.bytes != size || std::memcmp(rewritten.data(), data, size) != 0)
        std::abort();
    return 0;
}
