#pragma once

namespace earshot::audio {

// Errors of the device layer. The values are the device codes of API.md §6, so the engine's
// public API can pass them through unchanged.
enum class AudioError {
    None = 0,
    Generic = 1006001,         // any other backend failure (the backend's text is not kept)
    InvalidDeviceId = 1006002, // no such device, or it cannot do the requested direction/format
    NoPermission = 1006003,    // the system refused access to the device
    ZeroCapture = 1006004,     // the capture side delivers no audio
    InUse = 1006005,           // the device is busy (opened exclusively elsewhere)
    Unplugged = 1006006,       // the device vanished while open, or its stream died
};

// A short English description of `error`, for logs and the public API's errorText().
// Thread: any.
const char* audioErrorText(AudioError error);

} // namespace earshot::audio
