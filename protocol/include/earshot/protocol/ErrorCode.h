#pragma once

#include <cstdint>

namespace earshot::protocol {

// Every error code Earshot puts on the wire or returns from its API. The numbers are the
// reference product's where the meaning matches (API.md §6), so they may be compared across
// products; on the wire they travel as plain integers in the "code" field of a reply.
enum class ErrorCode : std::int32_t {
    Success = 0,

    EngineNotCreated = 1000001,
    NotLoggedIn = 1000002,
    StreamIdTooLong = 1000014,
    StreamIdEmpty = 1000015,
    StreamIdInvalidCharacter = 1000016,
    IllegalParameter = 1000017,

    AppIdZero = 1001000,
    AppSignLength = 1001001,
    AppSignNotHex = 1001002,
    AppIdUnknown = 1001004,
    AppSignWrong = 1001005,

    AlreadyLoggedIn = 1002001,
    RoomNotLoggedIn = 1002002,
    UserIdEmpty = 1002005,
    UserIdInvalidCharacter = 1002006,
    UserIdTooLong = 1002007,
    UserNameEmpty = 1002008,
    UserNameInvalidCharacter = 1002009,
    UserNameTooLong = 1002010,
    RoomIdEmpty = 1002011,
    RoomIdInvalidCharacter = 1002012,
    RoomIdTooLong = 1002013,
    LoginNetworkError = 1002030,
    LoginTimeout = 1002031,
    LoginAuthFailed = 1002033,
    RoomMemberLimit = 1002034,
    KickedDuplicateLogin = 1002050,
    ConnectionBrokenRetrying = 1002051,
    Disconnected = 1002052,
    RetryTimeExceeded = 1002053,
    KickedByServer = 1002055,
    KickedTokenExpired = 1002056,
    NoAuthentication = 1002067,
    TokenPayloadNotJson = 1002075,
    TokenAppIdMismatch = 1002076,
    TokenUserIdMismatch = 1002077,
    TokenExpired = 1002078,
    TokenBadVersion = 1002079,
    TokenBadNonce = 1002080,
    TokenLacksPublishPrivilege = 1002082,

    AlreadyPublishing = 1003023,
    PublishForbidden = 1003025,
    DuplicateStreamId = 1003028,
    PublishNotAuthorized = 1003072,

    StreamNotFound = 1004002,
    PlayNotAuthorized = 1004003,
    TooManyPlays = 1004010,
    PlayForbidden = 1004025,

    DeviceGeneric = 1006001,
    DeviceInvalidId = 1006002,
    DeviceNoPermission = 1006003,
    DeviceZeroCapture = 1006004,
    DeviceInUse = 1006005,
    DeviceUnplugged = 1006006,

    MessageEmpty = 1009001,
    MessageTooLong = 1009002,
    MessageWrongRoom = 1009005,
    MessageTooFast = 1009015,
};

constexpr std::int32_t toInt(ErrorCode code) noexcept { return static_cast<std::int32_t>(code); }

// English text of a code for logs and the server's replies. The engine's public errorText()
// translates these for people; this one is for operators and tests.
const char* errorName(ErrorCode code) noexcept;

} // namespace earshot::protocol
