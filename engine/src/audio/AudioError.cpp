#include "audio/AudioError.h"

namespace earshot::audio {

const char* audioErrorText(AudioError error)
{
    switch (error) {
    case AudioError::None:
        return "success";
    case AudioError::Generic:
        return "audio device error";
    case AudioError::InvalidDeviceId:
        return "invalid audio device ID, or the device cannot do what was asked";
    case AudioError::NoPermission:
        return "no permission to use the audio device";
    case AudioError::ZeroCapture:
        return "the audio capture device delivers no audio";
    case AudioError::InUse:
        return "the audio device is in use";
    case AudioError::Unplugged:
        return "the audio device was unplugged or stopped working";
    }
    return "unknown audio device error";
}

} // namespace earshot::audio
