// Feeds arbitrary bytes to the signalling parser. Beyond "never crash", it checks the codec's
// round-trip property: whatever parses must re-serialise to text that parses to the same
// message and re-serialises to the same bytes, so client and server agree on every message.
#include <earshot/protocol/SignalMessage.h>

#include <cstddef>
#include <cstdint>

using namespace earshot::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const SignalParseResult first =
        parseSignalMessage(QByteArrayView(data, static_cast<qsizetype>(size)));
    if (!first.ok)
        return 0;
    const QByteArray text = serializeSignalMessage(first.message);
    // The canonical form may be longer than the input (1e15 spells 1000000000000000), so a
    // frame near the limit may not fit once re-serialised; that is not a codec fault.
    if (text.size() > kMaxSignalMessageBytes)
        return 0;
    const SignalParseResult second = parseSignalMessage(text);
    if (!second.ok || !(second.message == first.message) || second.id != first.id)
        __builtin_trap();
    if (serializeSignalMessage(second.message) != text)
        __builtin_trap();
    return 0;
}
