#pragma once

#include <memory>
#include <span>
#include <vector>

struct SpeexResamplerState_;

namespace earshot::dsp {

enum class ResamplerError {
    None = 0,
    InvalidArgument, // channels < 1, a rate ≤ 0, quality outside 0–10
    OutOfMemory,     // speexdsp could not allocate its state
};

// How much of the input one process() call consumed and how much output it produced, in
// frames (samples per channel).
struct ResampleResult {
    int inputFrames = 0;
    int outputFrames = 0;
};

// The one wrapper over speexdsp's resampler (STYLE.md: one wrapper per C dependency): converts
// interleaved float audio from one sample rate to another, e.g. a 44.1 kHz device to the
// engine's 48 kHz and back. Equal rates are a plain copy (no filter, no delay).
//
// All allocation happens in init(); process(), reset() and the queries are real-time safe. The
// filter keeps state between calls, so one Resampler serves one continuous stream.
// Thread ownership: not thread-safe; one thread at a time (usually a device callback thread).
class Resampler {
public:
    // speexdsp's qualities: 0 (cheapest) … 10 (best). 4 is speexdsp's default and ample for
    // voice; 3 is its "VoIP" setting, 5 its "desktop" one.
    static constexpr int kDefaultQuality = 4;

    Resampler();
    ~Resampler();
    Resampler(Resampler&&) noexcept;
    Resampler& operator=(Resampler&&) noexcept;
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // (Re)creates the filter for `channels` interleaved channels from inputRateHz to outputRateHz.
    // Any previous state is dropped. Errors: InvalidArgument, OutOfMemory (the resampler is then
    // invalid and process() produces nothing). Thread: the owner's; allocates, not real-time safe.
    [[nodiscard]] ResamplerError init(int channels, int inputRateHz, int outputRateHz,
                                      int quality = kDefaultQuality);

    bool isValid() const { return m_channels > 0; }
    int channels() const { return m_channels; }
    int inputRateHz() const { return m_inputRateHz; }
    int outputRateHz() const { return m_outputRateHz; }

    // Resamples interleaved `input` into `output`, consuming as much input as the output space
    // allows. When output holds at least maxOutputFrames(input frames) frames, all input is
    // consumed. Partial frames at the end of a span are ignored. Returns frames consumed and
    // produced. Thread: the owner's; real-time safe.
    ResampleResult process(std::span<const float> input, std::span<float> output);

    // An upper bound on the output frames that `inputFrames` input frames can produce; size the
    // output buffers of a real-time path with it. Thread: any.
    int maxOutputFrames(int inputFrames) const;

    // The filter delay, in input frames (0 for equal rates). Thread: the owner's.
    int inputLatencyFrames() const;

    // Clears the filter memory, as if the stream started again. Thread: the owner's; real-time safe.
    void reset();

    // Offline conversion of a whole signal: the filter delay is removed and the tail flushed,
    // so output sample k lines up with input time k / outputRateHz and the output has
    // round(inputFrames × outputRateHz / inputRateHz) frames. Resets the state first and after.
    // Thread: the owner's; allocates (not for real-time paths).
    std::vector<float> processAll(std::span<const float> input);

private:
    struct StateDeleter {
        void operator()(SpeexResamplerState_* state) const;
    };

    std::unique_ptr<SpeexResamplerState_, StateDeleter> m_state; // null for equal rates
    int m_channels = 0;
    int m_inputRateHz = 0;
    int m_outputRateHz = 0;
};

} // namespace earshot::dsp
