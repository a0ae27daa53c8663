#include "record/RecordingFormat.h"

#include <algorithm>

namespace earshot::record {

namespace {

char lowerAscii(char character)
{
    return character >= 'A' && character <= 'Z' ? static_cast<char>(character - 'A' + 'a') : character;
}

// `suffix` is lower case.
bool endsWithIgnoringCase(std::string_view text, std::string_view suffix)
{
    if (text.size() < suffix.size())
        return false;
    const std::string_view tail = text.substr(text.size() - suffix.size());
    return std::equal(tail.begin(), tail.end(), suffix.begin(),
                      [](char left, char right) { return lowerAscii(left) == right; });
}

} // namespace

std::optional<RecordingFormat> recordingFormatForPath(std::string_view path)
{
    if (endsWithIgnoringCase(path, ".wav"))
        return RecordingFormat::Wav;
    if (endsWithIgnoringCase(path, ".ogg") || endsWithIgnoringCase(path, ".opus"))
        return RecordingFormat::OggOpus;
    return std::nullopt;
}

} // namespace earshot::record
