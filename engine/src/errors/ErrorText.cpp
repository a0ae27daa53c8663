#include <earshot/ErrorText.h>
#include <earshot/protocol/ErrorCode.h>

#include <QCoreApplication>
#include <QTranslator>

#include <memory>

namespace earshot {
namespace {

using protocol::ErrorCode;

// The translation context of every sentence below; lupdate reads it from each
// QT_TRANSLATE_NOOP, so the literal there must stay the same.
constexpr char kContext[] = "earshot::ErrorText";

//: %1 is the numeric error code.
constexpr const char* kUnknownError = QT_TRANSLATE_NOOP("earshot::ErrorText", "Unknown error (code %1).");

// The English sentence of each code (API.md §6), the source text of the translations. A switch
// without a default, so the compiler (-Wswitch, an error in CI) reports a code of ErrorCode.h
// that has no sentence. Texts for people, not operators: protocol::errorName() stays the short
// log text, as audio::audioErrorText() does for the device layer.
const char* sourceText(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::Success:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "Success.");

    case ErrorCode::EngineNotCreated:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The engine has not been created. Create the engine first.");
    case ErrorCode::NotLoggedIn:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "You are not logged in to a room. Log in to a room first.");
    case ErrorCode::StreamIdTooLong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The stream ID is too long: it may have at most 256 characters.");
    case ErrorCode::StreamIdEmpty:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The stream ID is empty. Enter a stream ID.");
    case ErrorCode::StreamIdInvalidCharacter:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The stream ID contains a character that is not allowed. Use only "
            "letters, digits, underscores (_) and hyphens (-).");
    case ErrorCode::IllegalParameter:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "A parameter is not valid. Check the values passed to the function.");

    case ErrorCode::AppIdZero:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The AppID is 0. Use the AppID that was issued for your app.");
    case ErrorCode::AppSignLength:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The AppSign must be exactly 64 characters long.");
    case ErrorCode::AppSignNotHex:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The AppSign may contain only hexadecimal digits (0-9 and a-f).");
    case ErrorCode::AppIdUnknown:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The server does not know this AppID. Check that the AppID is correct.");
    case ErrorCode::AppSignWrong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The AppSign does not match the AppID. Check that the AppSign is correct.");

    case ErrorCode::AlreadyLoggedIn:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You are already logged in to a room. Log out of it before logging in "
            "to another one.");
    case ErrorCode::RoomNotLoggedIn:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "You are not logged in to this room.");
    case ErrorCode::UserIdEmpty:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The user ID is empty. Enter a user ID.");
    case ErrorCode::UserIdInvalidCharacter:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The user ID contains a character that is not allowed. Use only letters, "
            "digits and these symbols: ~!@#$%^&*()_+=-`;',.<>\\");
    case ErrorCode::UserIdTooLong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The user ID is too long: it may have at most 63 characters.");
    case ErrorCode::UserNameEmpty:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The user name is empty. Enter a user name.");
    case ErrorCode::UserNameInvalidCharacter:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The user name contains a control character or text that is not valid "
            "UTF-8.");
    case ErrorCode::UserNameTooLong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The user name is too long: it may have at most 255 bytes in UTF-8.");
    case ErrorCode::RoomIdEmpty:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The room ID is empty. Enter a room ID.");
    case ErrorCode::RoomIdInvalidCharacter:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The room ID contains a character that is not allowed. Use only letters, "
            "digits and these symbols: ~!@#$%^&*()_+=-`;',.<>\\");
    case ErrorCode::RoomIdTooLong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The room ID is too long: it may have at most 127 characters.");
    case ErrorCode::LoginNetworkError:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "Login failed because of a network problem. Check your network "
            "connection and try again.");
    case ErrorCode::LoginTimeout:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "Login timed out. Check your network connection and try again.");
    case ErrorCode::LoginAuthFailed:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "Login failed: the token is invalid or has expired. Ask the app for a "
            "new token.");
    case ErrorCode::RoomMemberLimit:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The room is full: it has reached its maximum number of members. Try "
            "again later.");
    case ErrorCode::KickedDuplicateLogin:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You were removed from the room because the same user ID logged in "
            "somewhere else.");
    case ErrorCode::ConnectionBrokenRetrying:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The connection to the server was lost. Reconnecting...");
    case ErrorCode::Disconnected:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "You have been disconnected from the room.");
    case ErrorCode::RetryTimeExceeded:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "Reconnecting took too long and has been given up. Check your network "
            "connection and log in again.");
    case ErrorCode::KickedByServer:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "You were removed from the room by the app's server.");
    case ErrorCode::KickedTokenExpired:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You were removed from the room because your token expired. Log in "
            "again with a new token.");
    case ErrorCode::NoAuthentication:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "Neither an AppSign nor a token was given. Provide one of them to log "
            "in.");
    case ErrorCode::TokenPayloadNotJson:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The token's payload is not valid JSON. Ask the app for a new token.");
    case ErrorCode::TokenAppIdMismatch:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The token was issued for a different AppID. Ask the app for a new "
            "token.");
    case ErrorCode::TokenUserIdMismatch:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The token was issued for a different user ID. Ask the app for a new "
            "token.");
    case ErrorCode::TokenExpired:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The token has expired. Ask the app for a new token.");
    case ErrorCode::TokenBadVersion:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The token's version is not supported. Ask the app for a new token.");
    case ErrorCode::TokenBadNonce:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The token is malformed: its nonce is not valid. Ask the app for a new "
            "token.");
    case ErrorCode::TokenLacksPublishPrivilege:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The renewed token does not allow publishing streams.");

    case ErrorCode::AlreadyPublishing:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You are already publishing another stream. Stop it before publishing "
            "a new one.");
    case ErrorCode::PublishForbidden:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The server has forbidden publishing this stream.");
    case ErrorCode::DuplicateStreamId:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "Someone is already publishing a stream with this ID. Use a different "
            "stream ID.");
    case ErrorCode::PublishNotAuthorized:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You are not allowed to publish: the token does not grant the publish "
            "privilege.");

    case ErrorCode::StreamNotFound:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The stream does not exist. Check the stream ID.");
    case ErrorCode::PlayNotAuthorized:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "You are not allowed to play this stream.");
    case ErrorCode::TooManyPlays:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "You are already playing the maximum of 12 streams. Stop one before "
            "playing another.");
    case ErrorCode::PlayForbidden:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The server has forbidden playing this stream.");

    case ErrorCode::DeviceGeneric:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The audio device reported an error. Check the device or choose another "
            "one.");
    case ErrorCode::DeviceInvalidId:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The audio device was not found, or it cannot be used this way. Choose "
            "another device.");
    case ErrorCode::DeviceNoPermission:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The app is not allowed to use the audio device. Allow access in the "
            "system's privacy settings.");
    case ErrorCode::DeviceZeroCapture:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The microphone delivers no sound. Check that it is connected and not "
            "muted, or choose another one.");
    case ErrorCode::DeviceInUse:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The audio device is being used by another application. Close that "
            "application or choose another device.");
    case ErrorCode::DeviceUnplugged:
        return QT_TRANSLATE_NOOP("earshot::ErrorText",
            "The audio device was unplugged or stopped working. Reconnect it or "
            "choose another device.");

    case ErrorCode::MessageEmpty:
        return QT_TRANSLATE_NOOP("earshot::ErrorText", "The message is empty. Type something to send.");
    case ErrorCode::MessageTooLong:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The message is too long: it may have at most 1024 bytes in UTF-8.");
    case ErrorCode::MessageWrongRoom:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "The message is addressed to a room you are not logged in to.");
    case ErrorCode::MessageTooFast:
        return QT_TRANSLATE_NOOP(
            "earshot::ErrorText", "Messages are being sent too fast. Wait a moment and try again.");
    }
    return nullptr; // not a code of ErrorCode.h
}

// The embedded Chinese translation, loaded on first use (a magic static: thread-safe) and never
// installed in QCoreApplication, so errorText(code, Language) does not depend on the app's
// translators nor change them. QTranslator::translate() is const and may run on any thread,
// as QCoreApplication::translate() runs it.
const QTranslator& chineseTranslator()
{
    static const std::unique_ptr<QTranslator> translator = [] {
        auto loaded = std::make_unique<QTranslator>();
        const bool ok = loaded->load(QStringLiteral("earshot_engine_zh_CN"), engineTranslationsPath());
        // The .qm is compiled into this library: if it cannot be loaded, the build is broken.
        Q_ASSERT_X(ok, "earshot::errorText", "embedded earshot_engine_zh_CN.qm not found");
        Q_UNUSED(ok);
        return loaded;
    }();
    return *translator;
}

QString translated(const char* source, Language language)
{
    switch (language) {
    case Language::English:
        return QString::fromUtf8(source);
    case Language::SimplifiedChinese: {
        QString text = chineseTranslator().translate(kContext, source);
        return text.isEmpty() ? QString::fromUtf8(source) : text; // untranslated: English
    }
    }
    return QString::fromUtf8(source);
}

} // namespace

QString errorText(int code)
{
    if (const char* source = sourceText(static_cast<ErrorCode>(code)))
        return QCoreApplication::translate(kContext, source);
    return QCoreApplication::translate(kContext, kUnknownError).arg(code);
}

QString errorText(int code, Language language)
{
    if (const char* source = sourceText(static_cast<ErrorCode>(code)))
        return translated(source, language);
    return translated(kUnknownError, language).arg(code);
}

QString engineTranslationsPath()
{
    return QStringLiteral(":/earshot/i18n");
}

} // namespace earshot
