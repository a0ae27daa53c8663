#pragma once

#include "audio/AudioFormat.h"
#include "dsp/Resampler.h"

#include <span>
#include <vector>

namespace earshot::audio {

// The capture side of the device boundary: converts blocks from a device's rate and channel
// count to the engine format (channels first, so the resampler runs on as few channels as
// possible, then rate). Stateless apart from the resampler's filter.
//
// All buffers are allocated in init(); convert() is real-time safe.
// Thread ownership: init()/reset() on the owner's thread while the stream is stopped; convert()
// on the device's capture callback thread.
class CaptureConverter {
public:
    // `maxDeviceFrames`: the largest block convert() will be given. Returns false when the
    // resampler cannot be created (bad rates or quality). Thread: owner; allocates.
    [[nodiscard]] bool init(int deviceRateHz, int deviceChannels, const AudioFormat& engineFormat,
                            int maxDeviceFrames, int resamplerQuality);

    // Converts `deviceFrames` (≤ maxDeviceFrames()) frames of interleaved `deviceInput` (null =
    // silence) into `engineOutput`, which must hold maxEngineFrames() frames. Returns the engine
    // frames written. Thread: the capture callback; real-time safe.
    int convert(const float* deviceInput, int deviceFrames, std::span<float> engineOutput);

    // Clears the resampler's history (a new stream). Thread: owner, stream stopped.
    void reset() { m_resampler.reset(); }

    int maxDeviceFrames() const { return m_maxDeviceFrames; }
    // The most engine frames one convert() call produces.
    int maxEngineFrames() const { return m_resampler.maxOutputFrames(m_maxDeviceFrames); }

private:
    int m_deviceChannels = 0;
    int m_engineChannels = 0;
    int m_maxDeviceFrames = 0;
    dsp::Resampler m_resampler;
    std::vector<float> m_mixed; // device rate, engine channels
};

} // namespace earshot::audio
