#include "record/RecordingError.h"

namespace earshot::record {

const char* errorText(RecordingError error)
{
    switch (error) {
    case RecordingError::None:
        return "success";
    case RecordingError::UnsupportedFormat:
        return "unsupported recording format (use a .wav, .ogg or .opus path)";
    case RecordingError::OpenFailed:
        return "cannot create the recording file";
    case RecordingError::WriteFailed:
        return "writing the recording file failed";
    case RecordingError::AlreadyRecording:
        return "a recording is already running";
    }
    return "unknown recording error";
}

} // namespace earshot::record
