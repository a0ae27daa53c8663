#pragma once

#include <earshot/EngineTypes.h>

#include <QString>

namespace earshot::cli {

// The engine's enum values by their names in Engine.h / API.md ("Logined", "Publishing", "Add"),
// for the event lines. An unknown value gives its number. Thread: any.
[[nodiscard]] QString nameOf(RoomState state);
[[nodiscard]] QString nameOf(RoomStateChangedReason reason);
[[nodiscard]] QString nameOf(UpdateType type);
[[nodiscard]] QString nameOf(PublisherState state);
[[nodiscard]] QString nameOf(PlayerState state);
[[nodiscard]] QString nameOf(StreamQualityLevel level);
[[nodiscard]] QString nameOf(AudioDeviceType type);
[[nodiscard]] QString nameOf(AudioDeviceState state);

} // namespace earshot::cli
