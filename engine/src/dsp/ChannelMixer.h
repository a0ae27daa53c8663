#pragma once

#include <span>

namespace earshot::dsp {

// Converts interleaved float audio between channel counts, for devices whose channel count
// differs from the engine's (mono or stereo). The rules are deliberately simple, because the
// devices are opened with the engine's channel count whenever they allow it:
//   same count   copy;
//   1 → N        the mono signal on every output channel;
//   N → 1        the average of all input channels (no clipping, a centred voice keeps its level);
//   N → M (both > 1) the first min(N, M) channels are copied, extra output channels are silent
//                and extra input channels are dropped (a surround device keeps front left/right).
class ChannelMixer {
public:
    // Converts `frames` frames from `input` (inputChannels interleaved) into `output`
    // (outputChannels interleaved). Both spans must hold at least frames × their channel count
    // samples and must not overlap; channel counts must be ≥ 1 (asserted).
    // Thread: any; real-time safe (no allocation, no locks, bounded time).
    static void mix(std::span<const float> input, int inputChannels, std::span<float> output,
                    int outputChannels, int frames);
};

} // namespace earshot::dsp
