#pragma once

#include <earshot/EngineTypes.h>

namespace earshot::api {

// What the E-model needs of one stream's last interval.
struct QualityInputs {
    double oneWayDelayMs = 0.0;    // mouth-to-ear: RTT/2 + jitter-buffer delay + codec and devices
    double residualLossRate = 0.0; // 0..1: what neither redundancy nor FEC recovered (concealed)
    double bitrateKbps = 48.0;     // Opus payload rate
    bool haveData = false;         // false: nothing was measured (Unknown)
};

// The quality figures of API.md §3 from measurements: an ITU-T G.107 E-model estimate of the
// MOS and the reference product's quality level.
//
//   R   = 93.2 − Id(d) − Ie,eff
//   Id  = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)                   (delay impairment, d in ms)
//   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl + Bpl)                     (random loss, Ppl in %)
//   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R),  clamped to 1..4.5
//
// Opus has no G.113 table; Ie follows its bitrate (0 at ≥ 32 kbit/s wideband speech, rising to
// 11 at 12 kbit/s and 20 at 6 kbit/s, from published listening tests), and Bpl = 20 stands for
// its PLC (G.113 gives 20–25 for codecs with good concealment). The level thresholds follow the
// usual MOS bands: ≥ 4.0 Excellent, ≥ 3.6 Good, ≥ 3.1 Medium, ≥ 2.6 Bad, else Die.
//
// Pure functions; any thread.
class QualityEstimator {
public:
    [[nodiscard]] static double rFactor(const QualityInputs& inputs);
    [[nodiscard]] static double mos(const QualityInputs& inputs); // 0 when !haveData
    [[nodiscard]] static StreamQualityLevel level(const QualityInputs& inputs);
};

} // namespace earshot::api
