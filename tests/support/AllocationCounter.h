#pragma once

// Counting heap allocations made by one thread, for the tests of the real-time contract
// (DESIGN.md §3: no allocation on the audio and media paths after construction). Linking
// earshot_allocation_counter replaces glibc's malloc family for the test executable (glibc
// supports that), so allocations inside C libraries such as libopus are seen too, and operator
// new, which calls malloc, with them. Sanitizer builds bring their own allocator: there
// EARSHOT_COUNT_ALLOCATIONS is 0 and the tests skip.

#include <cstddef> // defines __GLIBC__ (through <features.h>) before it is tested below

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define EARSHOT_SANITIZED_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EARSHOT_SANITIZED_ALLOCATOR 1
#endif
#if defined(__GLIBC__) && !defined(EARSHOT_SANITIZED_ALLOCATOR)
#define EARSHOT_COUNT_ALLOCATIONS 1
#else
#define EARSHOT_COUNT_ALLOCATIONS 0
#endif

namespace earshot::test {

// Arms the count for the current thread for its lifetime.
class AllocationCounter {
public:
    AllocationCounter() noexcept;
    ~AllocationCounter();
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;

    // malloc, calloc and realloc calls made by this thread since construction.
    [[nodiscard]] int count() const noexcept;
};

} // namespace earshot::test
