#pragma once

#include <QLoggingCategory>

#include <cstdint>

namespace earshot::session {

// The session layer's log category. Nothing secret (AppSign, token, resume secret, media keys)
// is ever written to it; room, user and stream IDs and error codes are.
Q_DECLARE_LOGGING_CATEGORY(lcSession)

// Rate limit for logging hostile or broken input (STYLE.md, errors tier 1): the first ten
// occurrences of a counter, then every thousandth.
constexpr bool isWorthLogging(std::uint64_t count) noexcept
{
    return count <= 10 || count % 1000 == 0;
}

} // namespace earshot::session
