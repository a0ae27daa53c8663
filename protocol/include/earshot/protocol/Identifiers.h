#pragma once

#include <earshot/protocol/ErrorCode.h>

#include <string_view>

namespace earshot::protocol {

// Length limits of API.md §5, in bytes of UTF-8 (stream IDs are ASCII, so bytes are characters).
inline constexpr std::size_t kMaxRoomIdBytes = 127;
inline constexpr std::size_t kMaxUserIdBytes = 63;
inline constexpr std::size_t kMaxUserNameBytes = 255;
inline constexpr std::size_t kMaxStreamIdBytes = 256;
inline constexpr std::size_t kMaxMessageBytes = 1024;

// Each returns ErrorCode::Success or the API.md error code of the first rule the value breaks.
// Pure functions of their argument; callable from any thread.
ErrorCode validateRoomId(std::string_view roomId) noexcept;
ErrorCode validateUserId(std::string_view userId) noexcept;
ErrorCode validateUserName(std::string_view userName) noexcept;
ErrorCode validateStreamId(std::string_view streamId) noexcept;

} // namespace earshot::protocol
