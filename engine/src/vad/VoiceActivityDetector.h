#pragma once

#include <span>

namespace earshot::vad {

// Tuning of the detector. The defaults suit the engine's capture path: 48 kHz, 10 ms blocks,
// after noise suppression and AGC.
struct VoiceActivityDetectorConfig {
    int sampleRateHz = 48000;
    int channels = 1;      // interleaved input; the channels are averaged before analysis
    int blockFrames = 480; // frames per process() call (10 ms at 48 kHz)

    // Analysis band: a 2-pole Butterworth high-pass (rumble, hum, DC) and a 2-pole low-pass
    // (hiss, clicks) around the voice band.
    double highPassHz = 100.0;
    double lowPassHz = 4000.0;

    // A block counts as "loud" when its band energy exceeds the noise floor by this margin and
    // the absolute minimum below; speech starts after onsetBlocks consecutive loud blocks.
    double speechMarginDb = 9.0;
    double minimumSpeechDbfs = -60.0;
    int onsetBlocks = 2;

    // Speech stays declared this long after the last loud block, so word tails and the short
    // pauses inside a sentence are not cut.
    int hangoverMs = 300;

    // Noise-floor tracking: it follows a quieter signal quickly (a one-pole smoother with this
    // time constant) and a louder one slowly (at most this many dB per second), so speech barely
    // moves it while a louder steady noise (a fan switched on) is absorbed within seconds.
    double floorFallTimeConstantMs = 20.0;
    double floorRiseDbPerSecond = 3.0;
};

// The decision for one block.
struct VoiceActivity {
    bool speech = false; // the decision, including onset and hangover
    float score = 0.0f;  // 0…1, probability-like: how far the block's energy is above the noise floor
                         // relative to the margin (0.5 at the margin); no hangover
};

// An energy-based voice activity detector: band-limited block energy against an adaptive noise
// floor, with an onset count against single clicks and a hangover against cut word tails.
// Self-contained (no webrtc-audio-processing needed).
//
// It allocates nothing, not even in the constructor; process() and reset() are real-time
// safe: no allocation, no locks, bounded time.
// Thread ownership: not thread-safe; one thread at a time (the media thread's capture path).
class VoiceActivityDetector {
public:
    // The configuration must be valid (rates, channels, block size > 0; 0 < lowPassHz < rate / 2;
    // asserted).
    explicit VoiceActivityDetector(const VoiceActivityDetectorConfig& config = {});

    const VoiceActivityDetectorConfig& config() const { return m_config; }

    // Analyses one block of config().blockFrames interleaved frames (asserted) and returns its
    // decision. Thread: the owner's; real-time safe.
    VoiceActivity process(std::span<const float> block);

    // The current noise-floor estimate of the band energy, in dBFS (a full-scale sine is −3 dBFS).
    // Thread: the owner's.
    double noiseFloorDbfs() const { return m_noiseFloorDb; }

    // The hangover in blocks (hangoverMs rounded to whole blocks). Thread: any.
    int hangoverBlocks() const { return m_hangoverBlocks; }

    // Forgets the filters, the noise floor and any ongoing speech, as at construction.
    // Thread: the owner's; real-time safe.
    void reset();

private:
    // A direct-form-I biquad with RBJ cookbook coefficients.
    struct Biquad {
        double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
        double x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0;

        static Biquad highPass(double cutoffHz, double sampleRateHz);
        static Biquad lowPass(double cutoffHz, double sampleRateHz);
        double process(double x);
        void clear() { x1 = x2 = y1 = y2 = 0.0; }
    };

    VoiceActivityDetectorConfig m_config;
    Biquad m_highPass;
    Biquad m_lowPass;
    int m_hangoverBlocks = 0;
    double m_floorFallCoefficient = 0.0; // per block
    double m_floorRiseDbPerBlock = 0.0;

    bool m_floorValid = false; // false until the first block sets the floor
    double m_noiseFloorDb = 0.0;
    int m_loudBlocks = 0;       // consecutive blocks above floor + margin
    int m_hangoverRemaining = 0; // blocks of hangover left
};

} // namespace earshot::vad
