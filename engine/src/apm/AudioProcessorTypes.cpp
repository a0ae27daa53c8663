#include "apm/AudioProcessorTypes.h"

namespace earshot::apm {

const char* errorText(ProcessingError error) noexcept
{
    switch (error) {
    case ProcessingError::None:
        return "no error";
    case ProcessingError::BadBlockSize:
        return "block is not 10 ms of the configured channel count";
    case ProcessingError::BadArgument:
        return "argument out of range";
    case ProcessingError::LibraryFailure:
        return "webrtc-audio-processing failed to process the block";
    }
    return "unknown error";
}

} // namespace earshot::apm
