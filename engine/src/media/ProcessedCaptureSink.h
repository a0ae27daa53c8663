#pragma once

#include <span>

namespace earshot::media {

// Receives the capture path's output block by block: 3A, capture volume and the transmission
// gate applied, i.e. what the published stream carries (the recording of API.md's
// startRecordingCapturedData). Silence while the gate is closed or the microphone is muted.
//
// Thread: called on the media thread from CaptureChain::process(); it must be real-time safe
// (copy into a ring and return). `block` holds 10 ms of interleaved 48 kHz samples and is
// valid only during the call.
class ProcessedCaptureSink {
public:
    virtual ~ProcessedCaptureSink() = default;
    virtual void onProcessedCapture(std::span<const float> block) = 0;
};

} // namespace earshot::media
