#include "AllocationCounter.h"

#include <cstddef>

namespace {

thread_local bool t_counting = false;
thread_local int t_allocations = 0;

} // namespace

namespace earshot::test {

AllocationCounter::AllocationCounter() noexcept
{
    t_allocations = 0;
    t_counting = true;
}

AllocationCounter::~AllocationCounter()
{
    t_counting = false;
}

int AllocationCounter::count() const noexcept
{
    return t_allocations;
}

} // namespace earshot::test

#if EARSHOT_COUNT_ALLOCATIONS
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);

void* malloc(std::size_t size)
{
    if (t_counting)
        ++t_allocations;
    return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size)
{
    if (t_counting)
        ++t_allocations;
    return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size)
{
    if (t_counting)
        ++t_allocations;
    return __libc_realloc(pointer, size);
}

void free(void* pointer)
{
    __libc_free(pointer);
}
}
#endif
