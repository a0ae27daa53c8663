#pragma once

namespace earshot::record {

// Errors of a captured-data recording.
enum class RecordingError {
    None = 0,
    UnsupportedFormat, // the path's extension is not .wav, .ogg or .opus
    OpenFailed,        // the file cannot be created (missing directory, no permission, …)
    WriteFailed,       // writing or finalising the file failed (disk full, I/O error)
    AlreadyRecording,  // start() while a recording runs
};

// A short, stable English description of `error`, for logs. Thread: any.
const char* errorText(RecordingError error);

} // namespace earshot::record
