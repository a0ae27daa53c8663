#include "earshot/AudioBackendMessages.h"

#if defined(__linux__)
#include <dlfcn.h>

#include <array>
#endif

namespace earshot {

#if defined(__linux__)
namespace {

// libasound's snd_lib_error_handler_t and libjack's error/info callbacks, declared here so that
// neither library's headers (nor its -dev package) are needed to build.
using AlsaErrorHandler = void (*)(const char* file, int line, const char* function, int error, const char* format,
                                  ...);
using AlsaSetErrorHandler = int (*)(AlsaErrorHandler handler);
using JackMessageHandler = void (*)(const char* message);
using JackSetMessageHandler = void (*)(JackMessageHandler handler);

void ignoreAlsaMessage(const char*, int, const char*, int, const char*, ...) {}

void ignoreJackMessage(const char*) {}

template <typename Function>
Function lookUp(const char* name) noexcept
{
    // The libraries are already in the process (PortAudio links them), so the global scope
    // has their symbols; dlopen would load a library the process does not otherwise use.
    return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

} // namespace

void silenceAudioBackendMessages() noexcept
{
    if (const auto setAlsaHandler = lookUp<AlsaSetErrorHandler>("snd_lib_error_set_handler"))
        setAlsaHandler(&ignoreAlsaMessage);
    for (const char* name : std::array {"jack_set_error_function", "jack_set_info_function"}) {
        if (const auto setJackHandler = lookUp<JackSetMessageHandler>(name))
            setJackHandler(&ignoreJackMessage);
    }
}
#else
void silenceAudioBackendMessages() noexcept {}
#endif

} // namespace earshot
