#include <earshot/protocol/Identifiers.h>

#include <algorithm>
#include <string_view>

namespace earshot::protocol {
namespace {

// Room and user IDs: letters, digits and the punctuation the reference allows (API.md §5).
bool isIdCharacter(char c) noexcept
{
    static constexpr std::string_view kPunctuation = "~!@#$%^&*()_+=-`;',.<>\\";
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
        || kPunctuation.find(c) != std::string_view::npos;
}

bool isStreamIdCharacter(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '_'
        || c == '-';
}

// A user name is free text, but not control characters and not broken UTF-8: it is shown
// to people and written to logs.
bool isValidDisplayText(std::string_view text) noexcept
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t codePoint = 0;
        if (lead < 0x80) {
            if (lead < 0x20 || lead == 0x7f)
                return false;
            ++i;
            continue;
        }
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            codePoint = lead & 0x1f;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            codePoint = lead & 0x0f;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        const bool overlong = (length == 2 && codePoint < 0x80) || (length == 3 && codePoint < 0x800)
            || (length == 4 && codePoint < 0x10000);
        if (overlong || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)
            || (codePoint >= 0x80 && codePoint < 0xa0))
            return false;
        i += length;
    }
    return true;
}

} // namespace

ErrorCode validateRoomId(std::string_view roomId) noexcept
{
    if (roomId.empty())
        return ErrorCode::RoomIdEmpty;
    if (roomId.size() > kMaxRoomIdBytes)
        return ErrorCode::RoomIdTooLong;
    if (!std::all_of(roomId.begin(), roomId.end(), isIdCharacter))
        return ErrorCode::RoomIdInvalidCharacter;
    return ErrorCode::Success;
}

ErrorCode validateUserId(std::string_view userId) noexcept
{
    if (userId.empty())
        return ErrorCode::UserIdEmpty;
    if (userId.size() > kMaxUserIdBytes)
        return ErrorCode::UserIdTooLong;
    if (!std::all_of(userId.begin(), userId.end(), isIdCharacter))
        return ErrorCode::UserIdInvalidCharacter;
    return ErrorCode::Success;
}

ErrorCode validateUserName(std::string_view userName) noexcept
{
    if (userName.empty())
        return ErrorCode::UserNameEmpty;
    if (userName.size() > kMaxUserNameBytes)
        return ErrorCode::UserNameTooLong;
    if (!isValidDisplayText(userName))
        return ErrorCode::UserNameInvalidCharacter;
    return ErrorCode::Success;
}

ErrorCode validateStreamId(std::string_view streamId) noexcept
{
    if (streamId.empty())
        return ErrorCode::StreamIdEmpty;
    if (streamId.size() > kMaxStreamIdBytes)
        return ErrorCode::StreamIdTooLong;
    if (!std::all_of(streamId.begin(), streamId.end(), isStreamIdCharacter))
        return ErrorCode::StreamIdInvalidCharacter;
    return ErrorCode::Success;
}

} // namespace earshot::protocol
