#include "vad/TransmissionGate.h"

#include "dsp/LevelMeter.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace earshot::vad {

namespace {

static_assert(std::atomic<TransmissionMode>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<float>::is_always_lock_free);

// The block's level on the sound-level scale, as the level meter would show it unsmoothed.
float blockLevel(std::span<const float> block)
{
    double sumSquares = 0.0;
    for (const float sample : block)
        sumSquares += static_cast<double>(sample) * sample;
    const double meanSquare = block.empty() ? 0.0 : sumSquares / static_cast<double>(block.size());
    return dsp::LevelMeter::levelOfMeanSquare(meanSquare);
}

// Whole blocks closest to `durationMs` (at least 0).
int blocksFor(int durationMs, int sampleRateHz, int blockFrames)
{
    const double frames = static_cast<double>(durationMs) * sampleRateHz / 1000.0;
    return std::max(0, static_cast<int>(std::lround(frames / blockFrames)));
}

VoiceActivityDetectorConfig detectorConfig(const TransmissionGateConfig& config)
{
    VoiceActivityDetectorConfig detector = config.detector;
    detector.sampleRateHz = config.sampleRateHz;
    detector.channels = config.channels;
    detector.blockFrames = config.blockFrames;
    return detector;
}

} // namespace

TransmissionGate::TransmissionGate(const TransmissionGateConfig& config, TransmissionMode mode)
    : m_config(config)
    , m_detector(detectorConfig(config))
    , m_mode(mode)
{
    assert(config.sampleRateHz > 0 && config.channels > 0 && config.blockFrames > 0);
    assert(config.preRollMs >= 0 && config.pushToTalkTailMs >= 0 && config.fadeMs >= 0);

    m_preRollFrames = blocksFor(config.preRollMs, config.sampleRateHz, config.blockFrames) * config.blockFrames;
    m_pushToTalkTailBlocks = blocksFor(config.pushToTalkTailMs, config.sampleRateHz, config.blockFrames);
    const int fadeFrames = static_cast<int>(std::lround(config.fadeMs * config.sampleRateHz / 1000.0));
    m_gainStep = fadeFrames > 0 ? 1.0f / static_cast<float>(fadeFrames) : 1.0f;
    m_history.assign(static_cast<std::size_t>(m_preRollFrames) * static_cast<std::size_t>(config.channels), 0.0f);
    m_heldSource.assign(static_cast<std::size_t>(config.channels), 0.0f);
}

void TransmissionGate::setMode(TransmissionMode mode)
{
    m_mode.store(mode, std::memory_order_relaxed);
}

TransmissionMode TransmissionGate::mode() const
{
    return m_mode.load(std::memory_order_relaxed);
}

void TransmissionGate::setPushToTalk(PushToTalkKey key)
{
    const bool pressed = key == PushToTalkKey::Pressed;
    if (pressed)
        m_pushToTalkLatched.store(true, std::memory_order_relaxed);
    m_pushToTalkHeld.store(pressed, std::memory_order_relaxed);
}

void TransmissionGate::setVoiceThreshold(float level)
{
    m_voiceThreshold.store(level, std::memory_order_relaxed);
}

void TransmissionGate::setMicrophoneMute(MicrophoneMute mute)
{
    m_microphoneMuted.store(mute == MicrophoneMute::On, std::memory_order_relaxed);
}

MicrophoneMute TransmissionGate::microphoneMute() const
{
    return m_microphoneMuted.load(std::memory_order_relaxed) ? MicrophoneMute::On : MicrophoneMute::Off;
}

GateResult TransmissionGate::process(std::span<const float> input, std::span<float> output)
{
    const auto channels = static_cast<std::size_t>(m_config.channels);
    const std::size_t samples = static_cast<std::size_t>(m_config.blockFrames) * channels;
    assert(input.size() == samples && output.size() == samples);

    const TransmissionMode mode = m_mode.load(std::memory_order_relaxed);
    const bool pushToTalkLatched = m_pushToTalkLatched.exchange(false, std::memory_order_relaxed);
    const bool pushToTalkHeld = m_pushToTalkHeld.load(std::memory_order_relaxed);

    GateResult result;
    // The detector always hears the newest, undelayed input, in every mode and even when muted
    // (the level monitor's VAD flag): voice activation must decide as early as it can.
    result.activity = m_detector.process(input);

    // An unmute waits for the mute's fade to finish, so the gate reopens from silence and picks
    // its delay afresh instead of resuming on the silence the history was fed while muted.
    if (m_microphoneMuted.load(std::memory_order_relaxed))
        m_muting = true;
    else if (m_muting && m_gain == 0.0f)
        m_muting = false;
    const bool muted = m_muting;

    bool open = false;
    switch (mode) {
    case TransmissionMode::Continuous:
        open = true;
        break;
    case TransmissionMode::VoiceActivation:
        if (const float threshold = m_voiceThreshold.load(std::memory_order_relaxed); !std::isnan(threshold)) {
            if (blockLevel(input) >= threshold)
                m_thresholdBlocksRemaining = 1 + m_detector.hangoverBlocks();
            open = m_thresholdBlocksRemaining > 0;
            if (open)
                --m_thresholdBlocksRemaining;
        } else {
            open = result.activity.speech; // the detector's hangover is the gate's
            m_thresholdBlocksRemaining = 0;
        }
        break;
    case TransmissionMode::PushToTalk:
        if (pushToTalkHeld || pushToTalkLatched)
            m_pushToTalkBlocksRemaining = 1 + m_pushToTalkTailBlocks;
        open = m_pushToTalkBlocksRemaining > 0;
        if (open)
            --m_pushToTalkBlocksRemaining;
        break;
    }
    if (mode != TransmissionMode::PushToTalk)
        m_pushToTalkBlocksRemaining = 0; // no stale tail when switching back to push-to-talk
    if (mode != TransmissionMode::VoiceActivation)
        m_thresholdBlocksRemaining = 0;
    open = open && !muted;

    // Only an open voice-activation spurt is delayed: by the fresh part of the history, so the
    // pre-roll never replays audio already sent or reaches into muted silence. Opening from
    // silence that is the whole pre-roll (or what is fresh of it); while the output is open it is
    // exactly the current delay (everything after the sample just sent), so a spurt keeps the
    // delay it opened with and never skips or repeats audio while heard.
    int targetDelayFrames = 0;
    if (mode == TransmissionMode::VoiceActivation && open)
        targetDelayFrames = m_freshFrames;
    assert(targetDelayFrames == 0 || m_gain == 0.0f || targetDelayFrames == m_delayFrames);
    // The delay jumps only while the output is silent; otherwise fade out first (the next block
    // finds the gain at 0 and reopens with the new delay).
    if (targetDelayFrames != m_delayFrames && m_gain == 0.0f)
        m_delayFrames = targetDelayFrames;
    const float targetGain = open && targetDelayFrames == m_delayFrames ? 1.0f : 0.0f;
    result.latencyFrames = m_delayFrames;
    m_latencyFrames.store(m_delayFrames, std::memory_order_relaxed);

    const auto historyFrames = static_cast<std::size_t>(m_preRollFrames);
    const auto delay = static_cast<std::size_t>(m_delayFrames);
    // The ring holds the historyFrames frames before the current one, oldest at m_historyFrame:
    // the frame `delay` back is `delay` slots before it.
    std::size_t readFrame = delay > 0 ? (m_historyFrame + historyFrames - delay) % historyFrames : 0;
    bool transmitting = false;
    for (std::size_t frame = 0; frame < samples; frame += channels) {
        if (m_gain < targetGain)
            m_gain = std::min(targetGain, m_gain + m_gainStep);
        else if (m_gain > targetGain)
            m_gain = std::max(targetGain, m_gain - m_gainStep);
        transmitting = transmitting || m_gain > 0.0f;

        m_mutedFrames = muted ? std::min(m_mutedFrames + 1, m_preRollFrames + 1) : 0;
        // The sample due out was captured muted: fade the last one sent instead.
        const bool sourceMuted = m_mutedFrames > m_delayFrames;
        for (std::size_t channel = 0; channel < channels; ++channel) {
            // Read the input and the history before writing them: input and output may be the
            // same buffer, and at the full delay the frame due out is in the slot written now.
            const float in = input[frame + channel];
            float source = m_heldSource[channel];
            if (!sourceMuted) {
                source = delay > 0 ? m_history[readFrame * channels + channel] : in;
                m_heldSource[channel] = source;
            }
            if (historyFrames > 0)
                m_history[m_historyFrame * channels + channel] = muted ? 0.0f : in;
            output[frame + channel] = m_gain > 0.0f ? source * m_gain : 0.0f; // no −0
        }
        if (historyFrames > 0) {
            if (++m_historyFrame == historyFrames)
                m_historyFrame = 0;
            if (delay > 0 && ++readFrame == historyFrames)
                readFrame = 0;
        }

        if (muted)
            m_freshFrames = 0;
        else if (m_gain > 0.0f)
            m_freshFrames = m_delayFrames; // everything after the frame just sent
        else
            m_freshFrames = std::min(m_freshFrames + 1, m_preRollFrames);
    }
    result.transmitting = transmitting;
    return result;
}

void TransmissionGate::reset()
{
    m_detector.reset();
    std::fill(m_history.begin(), m_history.end(), 0.0f);
    m_historyFrame = 0;
    std::fill(m_heldSource.begin(), m_heldSource.end(), 0.0f);
    m_delayFrames = 0;
    m_latencyFrames.store(0, std::memory_order_relaxed);
    m_freshFrames = 0;
    m_mutedFrames = 0;
    m_muting = false;
    m_pushToTalkBlocksRemaining = 0;
    m_thresholdBlocksRemaining = 0;
    m_gain = 0.0f;
    m_pushToTalkLatched.store(false, std::memory_order_relaxed);
}

} // namespace earshot::vad
