#pragma once

#include "audio/AudioFormat.h"
#include "dsp/Resampler.h"

#include <vector>

namespace earshot::audio {

// The playback side of the device boundary: fills device blocks of any size, at the device's
// rate and channel count, from engine periods of exactly framesPerPeriod frames. It asks its
// Source for as many engine periods as it needs, resamples them into a FIFO at the device rate
// and hands out the device's block (channel-converted and clipped to [-1, 1]); what is left over
// waits for the next block. That FIFO is the only buffering added: less than one engine period
// plus one resampler step.
//
// All buffers are allocated in init(); render() is real-time safe.
// Thread ownership: init()/reset() on the owner's thread while the stream is stopped; render()
// on the device's playback callback thread.
class PlaybackConverter {
public:
    // What produces engine periods: PortAudioDevice, which runs the AudioCallback there.
    class Source {
    public:
        virtual ~Source() = default;
        // Writes exactly framesPerPeriod × channels engine samples. Runs on the playback
        // callback thread under the AudioCallback contract.
        virtual void renderPeriod(float* engineOutput) = 0;
    };

    // `maxDeviceFrames`: the largest block render() will be asked for. Returns false when the
    // resampler cannot be created. Thread: owner; allocates.
    [[nodiscard]] bool init(int deviceRateHz, int deviceChannels, const AudioFormat& engineFormat,
                            int maxDeviceFrames, int resamplerQuality);

    // Fills all `deviceFrames` (≤ maxDeviceFrames()) frames of interleaved `deviceOutput`.
    // Thread: the playback callback; real-time safe.
    void render(float* deviceOutput, int deviceFrames, Source& source);

    // Empties the FIFO and the resampler's history (a new stream). Thread: owner, stream stopped.
    void reset();

    int maxDeviceFrames() const { return m_maxDeviceFrames; }

private:
    int m_deviceChannels = 0;
    int m_engineChannels = 0;
    int m_framesPerPeriod = 0;
    int m_maxDeviceFrames = 0;
    dsp::Resampler m_resampler;
    std::vector<float> m_period;  // one engine period
    std::vector<float> m_fifo;    // device rate, engine channels
    int m_fifoFrames = 0;
};

} // namespace earshot::audio
