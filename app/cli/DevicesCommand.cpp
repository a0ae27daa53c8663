#include "DevicesCommand.h"

#include "ExitCode.h"

#include <earshot/Engine.h>

#include <cstdio>

namespace earshot::cli {

int runDevicesCommand()
{
    // The device list belongs to an engine (as in the reference API); this one never logs in,
    // so its AppID and server are placeholders.
    EngineProfile profile;
    profile.appID = 1;
    profile.server = QUrl(QStringLiteral("ws://127.0.0.1/"));
    int code = 0;
    const std::unique_ptr<Engine> engine = Engine::create(profile, &code);
    if (!engine) {
        std::fprintf(
            stderr, "earshot-cli: %s (code %d)\n", qPrintable(errorText(code, Language::English)), code);
        return toInt(ExitCode::Failure);
    }
    for (const AudioDeviceType type : { AudioDeviceType::Input, AudioDeviceType::Output }) {
        const char* direction = type == AudioDeviceType::Input ? "input" : "output";
        const QList<DeviceInfo> list = engine->getAudioDeviceList(type);
        // stdout stays one device per line for scripts; the explanation goes to stderr.
        if (list.isEmpty())
            std::fprintf(stderr, "earshot-cli: no %s device found (no sound card, or no sound server running)\n",
                direction);
        for (const DeviceInfo& device : list) {
            std::printf("%s\t%s\t%s%s\n", direction, device.deviceID.toUtf8().constData(),
                device.deviceName.toUtf8().constData(), device.isDefault ? "\tdefault" : "");
        }
    }
    std::fflush(stdout);
    return toInt(ExitCode::Success);
}

} // namespace earshot::cli
