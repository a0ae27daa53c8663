#pragma once

namespace earshot::audio {

// What an AudioDevice drives: the engine's side of the device boundary (the media layer's
// capture and playback ring ends). DESIGN.md §3.
//
// THE REAL-TIME CONTRACT. process() runs on the device's real-time thread (a PortAudio callback
// thread or a virtual device's clock thread). It must:
//   - never allocate or free memory, lock a mutex, log, wait, sleep, make a system call, touch
//     Qt types or copy a shared_ptr;
//   - finish in bounded time, well within one period;
//   - always write all frames × channels samples of `output` (silence when it has nothing).
// It may only read and write ring ends, atomics and buffers preallocated before start().
// A missed deadline is heard as a click; a blocked callback stalls the device.
//
// Arguments are always in the engine format the device was opened with (AudioFormat: 48 kHz,
// interleaved float in [-1, 1], the engine's channel count), and `frames` is always that
// format's framesPerPeriod. Both pointers are always valid: `input` is silence when the stream
// has no input direction, and `output` is discarded when it has no output direction. `input`
// and `output` do not overlap. Samples outside [-1, 1] are clipped by the device.
//
// Lifetime: called only between a successful AudioDevice::start() and the return of stop() or
// close(); never concurrently with itself. The callback object must outlive that span.
class AudioCallback {
public:
    virtual ~AudioCallback() = default;

    virtual void process(const float* input, float* output, int frames) = 0;
};

} // namespace earshot::audio
