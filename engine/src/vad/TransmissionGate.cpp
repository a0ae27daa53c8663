#include "vad/TransmissionGate.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace earshot::vad {

namespace {

static_assert(std::atomic<TransmissionMode>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

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

    m_delayBlocks = blocksFor(config.preRollMs, config.sampleRateHz, config.blockFrames);
    m_pushToTalkTailBlocks = blocksFor(config.pushToTalkTailMs, config.sampleRateHz, config.blockFrames);
    const int fadeFrames = static_cast<int>(std::lround(config.fadeMs * config.sampleRateHz / 1000.0));
    m_gainStep = fadeFrames > 0 ? 1.0f / static_cast<float>(fadeFrames) : 1.0f;
    m_pushToTalkHistory.assign(static_cast<std::size_t>(m_delayBlocks) + 1, 0);
    m_delayLine.assign(static_cast<std::size_t>(latencyFrames()) * static_cast<std::size_t>(config.channels),
                       0.0f);
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
    const bool muted = m_microphoneMuted.load(std::memory_order_relaxed);
    const bool pushToTalkLatched = m_pushToTalkLatched.exchange(false, std::memory_order_relaxed);
    const bool pushToTalkHeld = m_pushToTalkHeld.load(std::memory_order_relaxed);

    GateResult result;
    // The detector always hears the undelayed input, in every mode (the level monitor's VAD flag).
    result.activity = m_detector.process(input);

    // Push-to-talk is judged in the time of the delayed output: the history remembers the key of
    // the last m_delayBlocks + 1 input blocks, and the block leaving the delay line now was
    // captured m_delayBlocks blocks ago. So exactly what was captured while the key was held (plus
    // the tail) is sent, never audio from before the press.
    const bool pushToTalkPressed = pushToTalkHeld || pushToTalkLatched;
    m_pushToTalkHistory[m_historyPosition] = pushToTalkPressed ? 1 : 0;
    if (++m_historyPosition == m_pushToTalkHistory.size())
        m_historyPosition = 0;
    const bool pushToTalkPressedAtOutput = m_pushToTalkHistory[m_historyPosition] != 0; // the oldest

    // Voice activation looks ahead instead: speech detected in the newest input block opens the
    // output from the block leaving the delay line now (the newest minus the pre-roll) up to the
    // newest one itself, m_delayBlocks + 1 output blocks. That is the pre-roll. The detector's
    // hangover is the gate's.
    switch (mode) {
    case TransmissionMode::Continuous:
        m_openBlocksRemaining = 1;
        break;
    case TransmissionMode::VoiceActivation:
        if (result.activity.speech)
            m_openBlocksRemaining = m_delayBlocks + 1;
        break;
    case TransmissionMode::PushToTalk:
        if (pushToTalkPressedAtOutput)
            m_openBlocksRemaining = 1 + m_pushToTalkTailBlocks;
        break;
    }
    const bool open = m_openBlocksRemaining > 0;
    if (m_openBlocksRemaining > 0)
        --m_openBlocksRemaining;
    const float targetGain = open && !muted ? 1.0f : 0.0f;

    bool transmitting = false;
    const bool delayed = !m_delayLine.empty();
    for (std::size_t frame = 0; frame < samples; frame += channels) {
        if (m_gain < targetGain)
            m_gain = std::min(targetGain, m_gain + m_gainStep);
        else if (m_gain > targetGain)
            m_gain = std::max(targetGain, m_gain - m_gainStep);
        transmitting = transmitting || m_gain > 0.0f;
        for (std::size_t channel = 0; channel < channels; ++channel) {
            // Read the input before writing the output: the two may be the same buffer.
            const float in = muted ? 0.0f : input[frame + channel];
            float out = in;
            if (delayed) {
                out = m_delayLine[m_delayPosition];
                m_delayLine[m_delayPosition] = in;
                if (++m_delayPosition == m_delayLine.size())
                    m_delayPosition = 0;
            }
            output[frame + channel] = m_gain > 0.0f ? out * m_gain : 0.0f; // no −0
        }
    }
    result.transmitting = transmitting;
    return result;
}

void TransmissionGate::reset()
{
    m_detector.reset();
    std::fill(m_delayLine.begin(), m_delayLine.end(), 0.0f);
    m_delayPosition = 0;
    std::fill(m_pushToTalkHistory.begin(), m_pushToTalkHistory.end(), std::uint8_t {0});
    m_historyPosition = 0;
    m_openBlocksRemaining = 0;
    m_gain = 0.0f;
    m_pushToTalkLatched.store(false, std::memory_order_relaxed);
}

} // namespace earshot::vad
