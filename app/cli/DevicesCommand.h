#pragma once

namespace earshot::cli {

// `earshot-cli devices`: lists the system's audio input and output devices (PortAudio, through
// Engine::getAudioDeviceList) on stdout, one per line:
//     input<TAB>ID<TAB>NAME[<TAB>default]
//     output<TAB>ID<TAB>NAME[<TAB>default]
// The IDs are what --input-device and --output-device take. Returns the exit code: 0, or 1 when
// no engine could be made. Thread: the main thread, with a QCoreApplication.
[[nodiscard]] int runDevicesCommand();

} // namespace earshot::cli
