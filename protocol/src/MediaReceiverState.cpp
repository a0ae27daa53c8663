#include <earshot/protocol/MediaReceiverState.h>

namespace earshot::protocol {
namespace {

MediaOpenResult failure(MediaOpenError error) noexcept
{
    MediaOpenResult result;
    result.error = error;
    return result;
}

} // namespace

std::optional<std::uint64_t> MediaReceiverState::extendedSequenceFor(std::uint16_t sequence) const noexcept
{
    const std::optional<std::uint64_t> extended = m_unwrapper.unwrap(sequence);
    if (!extended.has_value() || !m_window.check(*extended))
        return std::nullopt;
    return extended;
}

void MediaReceiverState::commit(std::uint64_t extendedSequence) noexcept
{
    m_unwrapper.update(extendedSequence);
    m_window.accept(extendedSequence);
}

MediaOpenResult MediaReceiverState::openAndCommit(const MediaPacketOpener& opener,
    const RtpParseResult& parsed, std::span<std::uint8_t> plaintextOut) noexcept
{
    if (!parsed.ok()) {
        MediaOpenResult result = failure(MediaOpenError::MalformedHeader);
        result.parseError = parsed.error;
        return result;
    }
    if (parsed.header.ssrc != m_ssrc)
        return failure(MediaOpenError::WrongSsrc);
    // Cheap checks first: a replayed packet costs no decryption.
    const std::optional<std::uint64_t> extended = m_unwrapper.unwrap(parsed.header.sequence);
    if (!extended.has_value())
        return failure(MediaOpenError::SequenceOutOfRange);
    if (!m_window.check(*extended))
        return failure(MediaOpenError::Replayed);
    const MediaOpenResult result = opener.open(parsed, *extended, plaintextOut);
    if (result.ok())
        commit(*extended);
    return result;
}

} // namespace earshot::protocol
