#include "jitter/JitterBuffer.h"

#include "codec/AudioDecoder.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace earshot::jitter {

namespace {

constexpr int kClockRateHz = 48'000;
constexpr double kFramesPerMs = kClockRateHz / 1000.0;
// Opus: packets are 2.5 ms multiples up to 120 ms, and its FEC and concealment only take
// such durations, so every concealment request is rounded to the granule.
constexpr int kGranuleFrames = 120;
constexpr int kMaxPacketFrames = 5760;
constexpr int kDefaultPacketFrames = 960; // 20 ms, Earshot's default, until packets tell
// A lengthened block grows by at most half (TimeStretcher), so this holds any block.
constexpr int kMaxBlockFrames = kMaxPacketFrames + kMaxPacketFrames / 2;

constexpr int kMaxUnderrunConcealMs = 300;  // beyond this PLC is only a fade: buffer again
constexpr int kMaxTimelineGapMs = 1000;     // a bigger media time jump is followed, not filled
constexpr std::uint64_t kMaxDropoutPackets = 3000; // RFC 3550 A.1 MAX_DROPOUT
constexpr std::uint64_t kHistoryPackets = 64;      // m_playedHistory bits
constexpr std::int64_t kMaxLevelFrames = 10 * kClockRateHz;

// Delay control (see the class comment). The accelerate dead band is wider than the expand
// one because a high level only costs latency, a low one risks an underrun. Both are wider than
// the smoothed base level's wander on a steady link (about 1 ms), so a settled stream is not
// stretched; every millisecond of the accelerate band is latency a listener may be left with.
constexpr double kAccelerateAboveMs = 6.0;
constexpr double kExpandBelowMs = 3.0;
// Once shortening has started it goes on down to here, not just back inside the band: a
// level shed from above (the start-up allowance, a spike that passed) would otherwise settle
// at the band's top edge and keep its 6 ms of needless latency for good.
constexpr double kAccelerateUntilMs = 1.0;
// Pull sizes are remembered per second of pulled audio (the target follows a consumer that
// changes its block size within two seconds). Before any pull, 10 ms is assumed, the audio
// pipeline's block.
constexpr int kPullWindowFrames = kClockRateHz;
constexpr int kDefaultPullFrames = kClockRateHz / 100;
// Beyond these, or after waiting this long for a quiet block, a pitch period of speech is
// spliced instead: a pause may never come (music, a monologue), and the level must not creep.
constexpr double kForcedAccelerateAboveMs = 80.0;
constexpr double kForcedExpandBelowMs = 12.0;
constexpr int kAcceleratePatienceFrames = 2 * kClockRateHz;
// Above the accelerate band (the start-up allowance being shed, a spike that passed) the wait
// for a quiet block is shorter: each splice then saves enough to be worth it, and without
// pauses (music, steady background noise) shedding 20 ms at one splice per 2 s would take 10 s.
// The last few milliseconds down to the target (the hysteresis) keep the long patience.
constexpr double kImpatientAboveMs = kAccelerateAboveMs;
constexpr int kImpatientAccelerateFrames = kClockRateHz / 4;
constexpr int kExpandPatienceFrames = kClockRateHz / 2;
// Base level smoothing per in-order packet: samples differ by up to one pull (10 ms) with the
// phase of arrivals against pulls; 0.2 averages that out within about ten packets.
constexpr double kBaseLevelSmoothing = 0.2;

int roundToGranule(std::int64_t frames)
{
    const std::int64_t granules = (frames + kGranuleFrames / 2) / kGranuleFrames;
    return static_cast<int>(std::clamp<std::int64_t>(granules, 1, kMaxPacketFrames / kGranuleFrames)) * kGranuleFrames;
}

double framesToMs(std::int64_t frames)
{
    return static_cast<double>(frames) / kFramesPerMs;
}

} // namespace

const char* errorText(JitterError error) noexcept
{
    switch (error) {
    case JitterError::None:
        return "no error";
    case JitterError::BadArgument:
        return "bad argument";
    }
    return "unknown error";
}

JitterBuffer::JitterBuffer(codec::AudioDecoder& decoder, const JitterBufferConfig& config)
    : m_decoder(decoder)
    , m_channels(std::clamp(decoder.channels(), 1, 2))
    , m_slots(std::clamp(config.slotCount, 16, 1 << 16), config.maxPayloadBytes)
    , m_estimator(config.estimator)
    , m_stretcher(kClockRateHz, m_channels)
    , m_fifo(kMaxBlockFrames, m_channels)
    , m_marginMs(std::clamp(config.marginMs, 0.0, 1000.0))
    , m_minDelayMs(std::clamp(config.minDelayMs, 0, kMaxBufferIntervalMs))
    , m_maxDelayMs(std::clamp(config.maxDelayMs, m_minDelayMs, kMaxBufferIntervalMs))
    , m_packetFrames(kDefaultPacketFrames)
{
    // Timestamps are read as decoder frames; another rate is a composition bug (tier 3).
    assert(decoder.sampleRateHz() == kClockRateHz);
    m_block.resize(static_cast<std::size_t>(kMaxBlockFrames) * static_cast<std::size_t>(m_channels));
}

JitterError JitterBuffer::setBufferIntervalRange(int minMs, int maxMs) noexcept
{
    if (minMs < 0 || maxMs < minMs || maxMs > kMaxBufferIntervalMs)
        return JitterError::BadArgument;
    m_minDelayMs = minMs;
    m_maxDelayMs = maxMs;
    return JitterError::None;
}

// ---- arrival side ----------------------------------------------------------------------------

InsertResult JitterBuffer::insert(std::uint64_t extendedSequence, std::uint32_t rtpTimestamp48k,
                                  std::span<const std::uint8_t> payload, std::int64_t arrivalTimeUs,
                                  PacketOrigin origin) noexcept
{
    // A redundant copy only ever fills a gap: every other outcome is expected (most copies
    // duplicate packets that arrived) and leaves no trace, and its arrival time, that of the
    // packet carrying it, must not reach the delay estimate.
    const bool primary = origin == PacketOrigin::Primary;
    if (primary)
        ++m_counters.packetsReceived;
    if (payload.size() > static_cast<std::size_t>(m_slots.maxPayloadBytes())) {
        if (primary)
            ++m_counters.rejectedPackets;
        return InsertResult::Oversized;
    }
    const std::uint64_t sequence = extendedSequence;
    if (!m_haveCursor) {
        m_haveCursor = true;
        m_nextSequence = sequence;
        m_timestampReference = rtpTimestamp48k;
    }
    const std::int64_t timestamp = unwrapTimestamp(rtpTimestamp48k);
    const auto capacity = static_cast<std::uint64_t>(m_slots.capacity());

    if (sequence < m_nextSequence) {
        const std::uint64_t behind = m_nextSequence - sequence;
        if (!m_cursorLocked && m_highestSequence - sequence < capacity) {
            // Still buffering the start: an earlier packet overtaken by a later one. Nothing
            // was played yet, so the cursor can move back to it.
            m_nextSequence = sequence;
        } else if (!primary) {
            return behind > kMaxDropoutPackets ? InsertResult::SequenceJump
                   : wasPlayed(sequence)       ? InsertResult::Duplicate
                                               : InsertResult::Late;
        } else if (behind > kMaxDropoutPackets && confirmsJump(sequence)) {
            resync(sequence); // the sender restarted its numbering, and two packets agree
        } else if (behind > kMaxDropoutPackets) {
            ++m_counters.rejectedPackets;
            return InsertResult::SequenceJump;
        } else if (wasPlayed(sequence)) {
            ++m_counters.duplicatePackets;
            return InsertResult::Duplicate;
        } else {
            // Still evidence of how late packets come: the estimator raises the target.
            ++m_counters.latePackets;
            m_lastRelativeDelayMs = m_estimator.onPacket(timestamp, arrivalTimeUs);
            return InsertResult::Late;
        }
    } else if (sequence - m_nextSequence >= capacity) {
        // Beyond the slots. After an outage with nothing buffered this is simply where the
        // stream is now; otherwise a single packet must not flush good audio, so it waits for
        // the next one to confirm it (RFC 3550 A.1's probation).
        if (!primary)
            return InsertResult::SequenceJump;
        const bool plausible = sequence - m_nextSequence < kMaxDropoutPackets && m_slots.empty();
        if (!plausible && !confirmsJump(sequence)) {
            ++m_counters.rejectedPackets;
            return InsertResult::SequenceJump;
        }
        resync(sequence);
    }
    if (primary)
        m_haveProbation = false;

    if (m_slots.find(sequence) != nullptr) {
        if (primary)
            ++m_counters.duplicatePackets;
        return InsertResult::Duplicate;
    }
    const int frames = m_decoder.framesInPacket(payload);
    const BufferedPacket packet {sequence, timestamp, arrivalTimeUs,
                                 frames > 0 && frames <= kMaxPacketFrames ? frames : -1, payload};
    if (!m_slots.store(packet)) {
        // Unreachable while the window rule holds; counted rather than asserted (tier 1 input).
        ++m_counters.rejectedPackets;
        return InsertResult::SequenceJump;
    }
    if (primary)
        m_lastRelativeDelayMs = m_estimator.onPacket(timestamp, arrivalTimeUs);
    else
        ++m_counters.redundancyRecovered;
    if (primary && m_underrunFrames > 0 && sequence == m_nextSequence && timestamp >= m_nextTimestamp) {
        // The packet the cursor waited for, and no earlier media time missing: the sender was
        // paused (DTX, or it stopped sending for a while), so what was played meanwhile filled
        // a pause rather than concealed a loss.
        m_concealedFrames -= m_underrunFrames;
        m_pauseFilledFrames += m_underrunFrames;
        --m_counters.underrunCount;
        ++m_counters.pauseCount;
        m_underrunFrames = 0;
    }

    if (!m_haveHighest || sequence > m_highestSequence) {
        m_haveHighest = true;
        m_highestSequence = sequence;
        m_timestampReference = timestamp;
        if (packet.frames > 0)
            m_packetFrames = std::max(packet.frames, kGranuleFrames); // Opus has nothing shorter
        m_highestEnd = timestamp + m_packetFrames;
        if (m_state == State::Playing && primary)
            updateBaseLevel(framesToMs(levelFrames()) + m_lastRelativeDelayMs);
    }
    return InsertResult::Accepted;
}

bool JitterBuffer::confirmsJump(std::uint64_t sequence) noexcept
{
    const bool confirmed = m_haveProbation && sequence == m_probationSequence + 1;
    m_haveProbation = true;
    m_probationSequence = sequence;
    return confirmed;
}

bool JitterBuffer::wasPlayed(std::uint64_t sequence) const noexcept
{
    const std::uint64_t behind = m_nextSequence - sequence; // >= 1
    return behind <= kHistoryPackets && ((m_playedHistory >> (behind - 1)) & 1u) != 0;
}

void JitterBuffer::resync(std::uint64_t sequence) noexcept
{
    m_counters.lostPackets += m_slots.size();
    m_slots.clear();
    ++m_counters.resyncCount;
    m_state = State::Buffering;
    m_nextSequence = sequence;
    m_cursorLocked = false;
    m_playedHistory = 0;
    m_haveHighest = false;
    m_underrunFrames = 0;
    m_haveBaseLevel = false;
    m_haveProbation = false;
}

std::int64_t JitterBuffer::unwrapTimestamp(std::uint32_t timestamp) const noexcept
{
    // The nearest value to the reference with these low 32 bits (C++20 defines the conversion).
    const auto delta = static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(m_timestampReference));
    return m_timestampReference + delta;
}

// ---- playout side ----------------------------------------------------------------------------

JitterError JitterBuffer::pull(std::span<float> out, int frames) noexcept
{
    const auto ch = static_cast<std::size_t>(m_channels);
    if (frames < 0 || out.size() < static_cast<std::size_t>(frames) * ch) {
        std::fill(out.begin(), out.end(), 0.0f);
        return JitterError::BadArgument;
    }
    notePull(frames);
    int written = 0;
    while (written < frames) {
        if (m_fifo.frames() == 0) {
            if (m_state == State::Buffering && readyToStart())
                startPlaying();
            if (m_state == State::Playing)
                produce();
            if (m_fifo.frames() == 0) { // buffering: silence, not concealment
                std::fill(out.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(written) * ch),
                          out.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(frames) * ch), 0.0f);
                break;
            }
        }
        written += m_fifo.pop(out.subspan(static_cast<std::size_t>(written) * ch), frames - written);
    }
    return JitterError::None;
}

bool JitterBuffer::readyToStart() const noexcept
{
    const auto first = m_slots.firstAtOrAfter(m_nextSequence);
    if (!first)
        return false;
    const std::int64_t span = m_highestEnd - m_slots.find(*first)->timestamp;
    // Half full slots start playout whatever the timestamps claim (hostile ones could make the
    // span look negative forever).
    return framesToMs(span) >= targetMs() || m_slots.size() * 2 >= m_slots.capacity();
}

void JitterBuffer::startPlaying() noexcept
{
    const auto found = m_slots.firstAtOrAfter(m_nextSequence);
    if (!found)
        return; // readyToStart() said there is one; stay buffering rather than trust it blindly
    const std::uint64_t first = *found;
    if (m_cursorLocked)
        m_counters.lostPackets += static_cast<std::int64_t>(first - m_nextSequence);
    advanceCursor(first - m_nextSequence, false);
    m_nextTimestamp = m_slots.find(first)->timestamp;
    m_state = State::Playing;
    m_cursorLocked = true;
    m_underrunFrames = 0;
    m_offTargetFrames = 0;
    m_haveBaseLevel = false;
    updateBaseLevel(framesToMs(levelFrames()) + m_lastRelativeDelayMs);
}

void JitterBuffer::advanceCursor(std::uint64_t count, bool played) noexcept
{
    m_playedHistory = count >= kHistoryPackets ? 0 : m_playedHistory << count;
    if (played && count > 0)
        m_playedHistory |= 1;
    m_nextSequence += count;
}

void JitterBuffer::produce() noexcept
{
    // Each pass appends a block and returns, or steps the cursor past a lost packet whose time
    // an underrun already concealed; there are fewer such packets than slots.
    for (int pass = 0; pass <= m_slots.capacity(); ++pass) {
        if (const BufferedPacket* packet = m_slots.find(m_nextSequence)) {
            playPacket(*packet);
            return;
        }
        const auto next = m_slots.firstAtOrAfter(m_nextSequence + 1);
        if (!next) {
            underrun();
            return;
        }
        if (playLoss(*next))
            return;
    }
    finishBlock(conceal(m_packetFrames), false); // unreachable; keeps pull() filling
}

void JitterBuffer::playPacket(const BufferedPacket& packet) noexcept
{
    const std::int64_t gap = packet.timestamp - m_nextTimestamp;
    const std::int64_t maxGap = std::int64_t {kMaxTimelineGapMs} * kClockRateHz / 1000;
    if (gap > maxGap || gap < -maxGap) {
        m_nextTimestamp = packet.timestamp; // the sender's clock jumped: follow it
    } else if (gap >= kGranuleFrames / 2) {
        // Media time passed without a missing packet: the sender was in DTX. Fill it with the
        // decoder's continuation (comfort noise for Opus), one packet's worth per block.
        const int frames = conceal(std::min<std::int64_t>(gap, m_packetFrames));
        m_nextTimestamp += frames;
        finishBlock(frames, true);
        return;
    }
    const std::int64_t timestamp = packet.timestamp;
    const std::span<float> decodeSpace(m_block.data(), static_cast<std::size_t>(kMaxPacketFrames) * m_channels);
    int frames = m_decoder.decode(packet.payload, decodeSpace);
    m_slots.remove(packet.sequence); // `packet` is dangling from here on
    advanceCursor(1, true);
    if (frames <= 0 || frames > kMaxPacketFrames) {
        ++m_counters.decodeErrors;
        frames = conceal(m_packetFrames);
        m_concealedFrames += frames;
        m_nextTimestamp = timestamp + frames;
        finishBlock(frames, false);
        return;
    }
    ++m_counters.decodedPackets;
    m_packetFrames = std::max(frames, kGranuleFrames);
    m_nextTimestamp = timestamp + frames;
    m_underrunFrames = 0;
    finishBlock(frames, true);
}

bool JitterBuffer::playLoss(std::uint64_t nextSequence) noexcept
{
    const BufferedPacket& next = *m_slots.find(nextSequence);
    const std::uint64_t missing = nextSequence - m_nextSequence;
    const std::int64_t gap = next.timestamp - m_nextTimestamp;
    const std::int64_t maxGap = std::int64_t {kMaxTimelineGapMs} * kClockRateHz / 1000;
    ++m_counters.lostPackets;
    advanceCursor(1, false);
    // The lost packets share the media time up to the next packet. With nonsense timestamps,
    // one packet's worth each; the timeline then resets on the next packet.
    const std::int64_t share = gap > maxGap ? m_packetFrames : gap / static_cast<std::int64_t>(missing);
    if (share < kGranuleFrames / 2)
        return false; // an underrun already played this packet's time
    const int frames = roundToGranule(share);
    if (missing == 1) {
        const std::span<float> space(m_block.data(), static_cast<std::size_t>(frames) * m_channels);
        const int recovered = m_decoder.decodeFec(next.payload, frames, space);
        if (recovered > 0 && recovered <= frames) {
            ++m_counters.fecRecoveredFrames;
            m_nextTimestamp += recovered;
            finishBlock(recovered, true);
            return true;
        }
    }
    const int concealed = conceal(frames);
    m_concealedFrames += concealed;
    m_nextTimestamp += concealed;
    finishBlock(concealed, false);
    return true;
}

void JitterBuffer::underrun() noexcept
{
    if (m_underrunFrames == 0)
        ++m_counters.underrunCount;
    const int frames = conceal(m_packetFrames);
    m_concealedFrames += frames;
    m_underrunFrames += frames;
    // Media time moves on, the sequence does not: a packet that is late rather than lost still
    // plays when it arrives (playPacket accepts media time behind the cursor).
    m_nextTimestamp += frames;
    finishBlock(frames, false);
    if (m_underrunFrames >= kMaxUnderrunConcealMs * kClockRateHz / 1000) {
        m_state = State::Buffering;
        m_haveBaseLevel = false;
    }
}

int JitterBuffer::conceal(int frames) noexcept
{
    frames = roundToGranule(frames);
    const std::span<float> space(m_block.data(), static_cast<std::size_t>(frames) * m_channels);
    const int written = m_decoder.conceal(frames, space);
    if (written > 0 && written <= frames)
        return written;
    std::fill(space.begin(), space.end(), 0.0f); // a decoder that cannot conceal: silence
    return frames;
}

void JitterBuffer::finishBlock(int frames, bool mayStretch) noexcept
{
    // Every decoded block goes through the classifier, so its speech level stays current.
    const bool lowEnergy = m_stretcher.isLowEnergy(m_block, frames);
    if (mayStretch)
        adaptDelay(frames, lowEnergy);
    m_fifo.push(m_block, frames);
}

void JitterBuffer::adaptDelay(int& frames, bool lowEnergy) noexcept
{
    if (!m_haveBaseLevel) {
        m_accelerating = false;
        return;
    }
    const double excessMs = m_baseLevelMs - targetMs();
    m_accelerating = excessMs > (m_accelerating ? kAccelerateUntilMs : kAccelerateAboveMs);
    const bool above = m_accelerating;
    const bool below = excessMs < -kExpandBelowMs;
    if (!above && !below) {
        m_offTargetFrames = 0;
        return;
    }
    m_offTargetFrames = std::min(m_offTargetFrames + frames, 10 * kClockRateHz); // no overflow
    const StretchRegion region = lowEnergy ? StretchRegion::LowEnergy : StretchRegion::Periodic;
    if (above
        && (lowEnergy || excessMs > kForcedAccelerateAboveMs
            || m_offTargetFrames >= (excessMs > kImpatientAboveMs ? kImpatientAccelerateFrames
                                                                  : kAcceleratePatienceFrames))) {
        const int removed = m_stretcher.shorten(m_block, frames, static_cast<int>(excessMs * kFramesPerMs), region);
        if (removed > 0) {
            frames -= removed;
            ++m_counters.accelerateCount;
            m_acceleratedFrames += removed;
            // The base level would see this only as packets arrive; tell it now, or it would
            // keep asking for more.
            m_baseLevelMs -= framesToMs(removed);
            m_offTargetFrames = 0;
        }
    } else if (below && (lowEnergy || -excessMs > kForcedExpandBelowMs || m_offTargetFrames >= kExpandPatienceFrames)) {
        const int inserted = m_stretcher.lengthen(m_block, frames, static_cast<int>(-excessMs * kFramesPerMs), region);
        if (inserted > 0) {
            frames += inserted;
            ++m_counters.expandCount;
            m_expandedFrames += inserted;
            m_baseLevelMs += framesToMs(inserted);
            m_offTargetFrames = 0;
        }
    }
}

// ---- levels and targets ----------------------------------------------------------------------

std::int64_t JitterBuffer::levelFrames() const noexcept
{
    std::int64_t ahead = 0;
    if (!m_slots.empty() && m_haveHighest) {
        std::int64_t from = m_nextTimestamp;
        if (m_state == State::Buffering) {
            if (const auto first = m_slots.firstAtOrAfter(m_nextSequence))
                from = m_slots.find(*first)->timestamp;
        } else if (const BufferedPacket* atCursor = m_slots.find(m_nextSequence)) {
            from = std::min(from, atCursor->timestamp); // late after an underrun: plays from there
        }
        ahead = std::clamp<std::int64_t>(m_highestEnd - from, 0, kMaxLevelFrames);
    }
    return m_fifo.frames() + ahead;
}

double JitterBuffer::packetMs() const noexcept
{
    return framesToMs(m_packetFrames);
}

double JitterBuffer::pullMs() const noexcept
{
    const int frames = std::max(m_pullFrames, m_previousPullFrames);
    return framesToMs(frames > 0 ? frames : kDefaultPullFrames);
}

void JitterBuffer::notePull(int frames) noexcept
{
    frames = std::min(frames, kClockRateHz); // a pull of over a second says nothing more
    m_pullFrames = std::max(m_pullFrames, frames);
    m_pullWindowFrames += frames;
    if (m_pullWindowFrames >= kPullWindowFrames) {
        m_previousPullFrames = m_pullFrames;
        m_pullFrames = 0;
        m_pullWindowFrames = 0;
    }
}

double JitterBuffer::targetMs() const noexcept
{
    const double packet = packetMs();
    // Leave an eighth of the slots for reordering and the packets arriving while we wait.
    const double slotsMs = packet * (m_slots.capacity() - m_slots.capacity() / 8);
    const double ceiling = std::max(std::min<double>(m_maxDelayMs, slotsMs), packet);
    const double floor = std::min(std::max<double>(m_minDelayMs, packet), ceiling);
    const double wanted = m_estimator.jitterMs() + packet + pullMs() + kExpandBelowMs + m_marginMs;
    return std::clamp(wanted, floor, ceiling);
}

void JitterBuffer::updateBaseLevel(double sampleMs) noexcept
{
    sampleMs = std::clamp(sampleMs, 0.0, framesToMs(kMaxLevelFrames));
    if (!m_haveBaseLevel) {
        m_haveBaseLevel = true;
        m_baseLevelMs = sampleMs;
        return;
    }
    m_baseLevelMs += kBaseLevelSmoothing * (sampleMs - m_baseLevelMs);
}

JitterStatistics JitterBuffer::statistics() const noexcept
{
    JitterStatistics statistics = m_counters;
    statistics.currentDelayMs = framesToMs(levelFrames());
    statistics.targetDelayMs = targetMs();
    statistics.jitterMs = m_estimator.jitterMs();
    statistics.concealedMs = static_cast<std::int64_t>(std::llround(framesToMs(m_concealedFrames)));
    statistics.pauseFilledMs = static_cast<std::int64_t>(std::llround(framesToMs(m_pauseFilledFrames)));
    statistics.acceleratedMs = static_cast<std::int64_t>(std::llround(framesToMs(m_acceleratedFrames)));
    statistics.expandedMs = static_cast<std::int64_t>(std::llround(framesToMs(m_expandedFrames)));
    return statistics;
}

} // namespace earshot::jitter
