#include "dsp/Resampler.h"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>

namespace earshot::dsp {

void Resampler::StateDeleter::operator()(SpeexResamplerState_* state) const
{
    speex_resampler_destroy(state);
}

Resampler::Resampler() = default;
Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

ResamplerError Resampler::init(int channels, int inputRateHz, int outputRateHz, int quality)
{
    m_state.reset();
    m_channels = 0;
    m_inputRateHz = 0;
    m_outputRateHz = 0;
    if (channels < 1 || inputRateHz <= 0 || outputRateHz <= 0 || quality < SPEEX_RESAMPLER_QUALITY_MIN
        || quality > SPEEX_RESAMPLER_QUALITY_MAX)
        return ResamplerError::InvalidArgument;

    if (inputRateHz != outputRateHz) {
        int error = RESAMPLER_ERR_SUCCESS;
        m_state.reset(speex_resampler_init(static_cast<spx_uint32_t>(channels),
                                           static_cast<spx_uint32_t>(inputRateHz),
                                           static_cast<spx_uint32_t>(outputRateHz), quality, &error));
        if (!m_state)
            return error == RESAMPLER_ERR_INVALID_ARG ? ResamplerError::InvalidArgument
                                                      : ResamplerError::OutOfMemory;
    }
    m_channels = channels;
    m_inputRateHz = inputRateHz;
    m_outputRateHz = outputRateHz;
    return ResamplerError::None;
}

ResampleResult Resampler::process(std::span<const float> input, std::span<float> output)
{
    if (!isValid())
        return {};
    const auto channels = static_cast<std::size_t>(m_channels);
    const std::size_t inputFrames = input.size() / channels;
    const std::size_t outputFrames = output.size() / channels;

    if (!m_state) {
        const std::size_t frames = std::min(inputFrames, outputFrames);
        std::copy_n(input.begin(), frames * channels, output.begin());
        return {static_cast<int>(frames), static_cast<int>(frames)};
    }

    // speexdsp may stop early when the output is full; loop so that a large enough output
    // always takes all of the input.
    ResampleResult result;
    std::size_t inputDone = 0;
    std::size_t outputDone = 0;
    while (inputDone < inputFrames && outputDone < outputFrames) {
        auto inLength = static_cast<spx_uint32_t>(inputFrames - inputDone);
        auto outLength = static_cast<spx_uint32_t>(outputFrames - outputDone);
        speex_resampler_process_interleaved_float(m_state.get(), input.data() + inputDone * channels,
                                                  &inLength, output.data() + outputDone * channels,
                                                  &outLength);
        if (inLength == 0 && outLength == 0)
            break; // no progress possible (cannot happen with valid buffers; guards an endless loop)
        inputDone += inLength;
        outputDone += outLength;
    }
    result.inputFrames = static_cast<int>(inputDone);
    result.outputFrames = static_cast<int>(outputDone);
    return result;
}

int Resampler::maxOutputFrames(int inputFrames) const
{
    if (!isValid() || inputFrames <= 0)
        return 0;
    if (m_inputRateHz == m_outputRateHz)
        return inputFrames;
    // ceil(frames × out / in), plus slack for the filter's fractional phase carried between
    // calls (speexdsp may emit one extra sample when the phase wraps).
    const std::int64_t scaled = static_cast<std::int64_t>(inputFrames) * m_outputRateHz;
    return static_cast<int>((scaled + m_inputRateHz - 1) / m_inputRateHz) + 2;
}

int Resampler::inputLatencyFrames() const
{
    return m_state ? speex_resampler_get_input_latency(m_state.get()) : 0;
}

void Resampler::reset()
{
    if (m_state)
        speex_resampler_reset_mem(m_state.get());
}

std::vector<float> Resampler::processAll(std::span<const float> input)
{
    if (!isValid())
        return {};
    const auto channels = static_cast<std::size_t>(m_channels);
    const std::size_t inputFrames = input.size() / channels;
    const auto expectedFrames = static_cast<std::size_t>(
        (static_cast<std::int64_t>(inputFrames) * m_outputRateHz + m_inputRateHz / 2) / m_inputRateHz);

    std::vector<float> output;
    if (!m_state) {
        output.assign(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(inputFrames * channels));
        return output;
    }

    reset();
    // Drops the leading filter delay from the output, so the output starts where the input does.
    speex_resampler_skip_zeros(m_state.get());
    const int latency = inputLatencyFrames();
    // Flush the tail with the filter delay's worth of zeros, so the last input samples come out.
    const std::vector<float> silence(static_cast<std::size_t>(latency) * channels, 0.0f);

    output.resize(static_cast<std::size_t>(maxOutputFrames(static_cast<int>(inputFrames) + latency))
                  * channels);
    const ResampleResult body = process(input.first(inputFrames * channels), output);
    assert(body.inputFrames == static_cast<int>(inputFrames));
    const ResampleResult tail = process(
        silence, std::span<float>(output).subspan(static_cast<std::size_t>(body.outputFrames) * channels));
    const auto produced = static_cast<std::size_t>(body.outputFrames + tail.outputFrames);
    output.resize(std::min(produced, expectedFrames) * channels);
    // A few frames short (rounding of the filter phase) are padded with silence, so callers
    // can rely on the length.
    output.resize(expectedFrames * channels, 0.0f);
    reset();
    return output;
}

} // namespace earshot::dsp
