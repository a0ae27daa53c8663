#include <earshot/protocol/ErrorCode.h>

namespace earshot::protocol {

const char* errorName(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::Success: return "success";
    case ErrorCode::EngineNotCreated: return "engine not created";
    case ErrorCode::NotLoggedIn: return "not logged in";
    case ErrorCode::StreamIdTooLong: return "stream ID too long";
    case ErrorCode::StreamIdEmpty: return "stream ID empty";
    case ErrorCode::StreamIdInvalidCharacter: return "stream ID has an invalid character";
    case ErrorCode::IllegalParameter: return "illegal parameter";
    case ErrorCode::AppIdZero: return "AppID is 0";
    case ErrorCode::AppSignLength: return "AppSign is not 64 characters";
    case ErrorCode::AppSignNotHex: return "AppSign is not hexadecimal";
    case ErrorCode::AppIdUnknown: return "AppID unknown to the server";
    case ErrorCode::AppSignWrong: return "AppSign wrong";
    case ErrorCode::AlreadyLoggedIn: return "already logged in to a room";
    case ErrorCode::RoomNotLoggedIn: return "not logged in to that room";
    case ErrorCode::UserIdEmpty: return "user ID empty";
    case ErrorCode::UserIdInvalidCharacter: return "user ID has an invalid character";
    case ErrorCode::UserIdTooLong: return "user ID too long";
    case ErrorCode::UserNameEmpty: return "user name empty";
    case ErrorCode::UserNameInvalidCharacter: return "user name has an invalid character";
    case ErrorCode::UserNameTooLong: return "user name too long";
    case ErrorCode::RoomIdEmpty: return "room ID empty";
    case ErrorCode::RoomIdInvalidCharacter: return "room ID has an invalid character";
    case ErrorCode::RoomIdTooLong: return "room ID too long";
    case ErrorCode::LoginNetworkError: return "login failed: network";
    case ErrorCode::LoginTimeout: return "login timed out";
    case ErrorCode::LoginAuthFailed: return "login authentication failed";
    case ErrorCode::RoomMemberLimit: return "room member limit reached";
    case ErrorCode::KickedDuplicateLogin: return "kicked: the same user ID logged in elsewhere";
    case ErrorCode::ConnectionBrokenRetrying: return "connection broken, retrying";
    case ErrorCode::Disconnected: return "disconnected";
    case ErrorCode::RetryTimeExceeded: return "retry time exceeded";
    case ErrorCode::KickedByServer: return "kicked by the server";
    case ErrorCode::KickedTokenExpired: return "kicked: token expired";
    case ErrorCode::NoAuthentication: return "neither AppSign nor token";
    case ErrorCode::TokenPayloadNotJson: return "token payload is not JSON";
    case ErrorCode::TokenAppIdMismatch: return "token AppID mismatch";
    case ErrorCode::TokenUserIdMismatch: return "token user ID mismatch";
    case ErrorCode::TokenExpired: return "token expired";
    case ErrorCode::TokenBadVersion: return "token version unsupported";
    case ErrorCode::TokenBadNonce: return "token nonce invalid";
    case ErrorCode::TokenLacksPublishPrivilege: return "renewed token lacks publish privilege";
    case ErrorCode::AlreadyPublishing: return "already publishing another stream";
    case ErrorCode::PublishForbidden: return "publishing forbidden by the server";
    case ErrorCode::DuplicateStreamId: return "duplicate stream ID";
    case ErrorCode::PublishNotAuthorized: return "publish not authorised";
    case ErrorCode::StreamNotFound: return "stream does not exist";
    case ErrorCode::PlayNotAuthorized: return "play not authorised";
    case ErrorCode::TooManyPlays: return "more than 12 streams playing";
    case ErrorCode::PlayForbidden: return "playing forbidden by the server";
    case ErrorCode::DeviceGeneric: return "device error";
    case ErrorCode::DeviceInvalidId: return "device ID invalid";
    case ErrorCode::DeviceNoPermission: return "no permission for the device";
    case ErrorCode::DeviceZeroCapture: return "device captures nothing";
    case ErrorCode::DeviceInUse: return "device in use";
    case ErrorCode::DeviceUnplugged: return "device unplugged";
    case ErrorCode::MessageEmpty: return "message empty";
    case ErrorCode::MessageTooLong: return "message too long";
    case ErrorCode::MessageWrongRoom: return "message for another room";
    case ErrorCode::MessageTooFast: return "sending messages too fast";
    }
    return "unknown error";
}

} // namespace earshot::protocol
