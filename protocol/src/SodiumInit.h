#pragma once

#include <sodium.h>

#include <cstdlib>

namespace earshot::protocol::detail {

// libsodium needs sodium_init() before its random source and guarded memory work. A
// function-local static runs it exactly once even when the first callers race on several
// threads. Without a usable random source nothing secure can be done: abort.
inline void ensureSodiumInitialised()
{
    static const bool initialised = sodium_init() >= 0;
    if (!initialised)
        std::abort();
}

} // namespace earshot::protocol::detail
