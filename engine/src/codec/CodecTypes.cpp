#include "CodecTypes.h"

#include <opus.h>

namespace earshot::codec {

const char* errorText(CodecError error) noexcept
{
    switch (error) {
    case CodecError::None:
        return "none";
    case CodecError::InvalidArgument:
        return "invalid argument";
    case CodecError::BufferTooSmall:
        return "buffer too small";
    case CodecError::OutOfMemory:
        return "out of memory";
    case CodecError::Internal:
        return "internal codec error";
    }
    return "unknown codec error";
}

const char* opusVersion() noexcept
{
    return opus_get_version_string();
}

} // namespace earshot::codec
