#pragma once

#include <QProcessEnvironment>

namespace earshot::integration {

// The environment for a child process (earshot, earshot-cli) that opens the system's audio
// devices through PortAudio, under the sanitizer presets:
// - LSAN_OPTIONS gains tests/sanitizers/lsan-audio.supp: ALSA's plugin loading leaks by design;
// - TSAN_OPTIONS points at the preset's suppressions and tests/sanitizers/tsan-system-audio.supp
//   combined into one file (TSan reads one): libpulse's own threads, which TSan cannot follow.
// Both files say why. Without a sanitizer the additions are inert. Thread: the test's.
[[nodiscard]] QProcessEnvironment systemAudioChildEnvironment();

} // namespace earshot::integration
