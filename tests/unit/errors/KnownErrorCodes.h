#pragma once

#include <earshot/protocol/ErrorCode.h>

#include <QList>

#include <string_view>

namespace earshot::test {

// Every code of protocol::ErrorCode (API.md §6), found without a second list to keep in step:
// protocol::errorName() switches over the enum without a default, so the compiler makes it name
// every enumerator, and it says "unknown error" for any other number. The scan covers 0 and all
// seven-digit codes; it takes a few milliseconds.
inline QList<int> knownErrorCodes()
{
    constexpr std::string_view kUnknown = "unknown error";
    QList<int> codes;
    for (int code = 0; code < 10'000'000; ++code) {
        if (protocol::errorName(static_cast<protocol::ErrorCode>(code)) != kUnknown)
            codes.append(code);
    }
    return codes;
}

} // namespace earshot::test
