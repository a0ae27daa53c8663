#include "dsp/ChannelMixer.h"

#include <algorithm>
#include <cassert>
#include <cstddef>

namespace earshot::dsp {

void ChannelMixer::mix(std::span<const float> input, int inputChannels, std::span<float> output,
                       int outputChannels, int frames)
{
    assert(inputChannels >= 1 && outputChannels >= 1 && frames >= 0);
    const auto inChannels = static_cast<std::size_t>(inputChannels);
    const auto outChannels = static_cast<std::size_t>(outputChannels);
    const auto frameCount = static_cast<std::size_t>(frames);
    assert(input.size() >= frameCount * inChannels);
    assert(output.size() >= frameCount * outChannels);

    if (inChannels == outChannels) {
        std::copy_n(input.begin(), frameCount * inChannels, output.begin());
        return;
    }
    if (inChannels == 1) {
        for (std::size_t frame = 0; frame < frameCount; ++frame)
            std::fill_n(output.begin() + static_cast<std::ptrdiff_t>(frame * outChannels), outChannels,
                        input[frame]);
        return;
    }
    if (outChannels == 1) {
        const float scale = 1.0f / static_cast<float>(inChannels);
        for (std::size_t frame = 0; frame < frameCount; ++frame) {
            float sum = 0.0f;
            for (std::size_t channel = 0; channel < inChannels; ++channel)
                sum += input[frame * inChannels + channel];
            output[frame] = sum * scale;
        }
        return;
    }
    const std::size_t shared = std::min(inChannels, outChannels);
    for (std::size_t frame = 0; frame < frameCount; ++frame) {
        for (std::size_t channel = 0; channel < shared; ++channel)
            output[frame * outChannels + channel] = input[frame * inChannels + channel];
        for (std::size_t channel = shared; channel < outChannels; ++channel)
            output[frame * outChannels + channel] = 0.0f;
    }
}

} // namespace earshot::dsp
