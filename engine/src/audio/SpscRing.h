#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>

namespace earshot::audio {

// A lock-free single-producer/single-consumer ring of trivially copyable T (DESIGN.md §3): the
// only way audio crosses between a device callback and another thread.
//
// Thread ownership: exactly one producer thread calls write()/tryPush()/freeToWrite(), exactly
// one consumer thread calls read()/tryPop()/discard()/availableToRead(); those may be different
// threads and each side is wait-free and real-time safe (no allocation, no locks, no system
// calls). Construction and destruction happen while neither side runs. capacity() and
// approximateSize() may be called from any thread.
//
// Memory order: each side owns one index. The producer publishes written elements with a release
// store of the write index; the consumer acquires it before reading them, and publishes freed
// slots with a release store of the read index, which the producer acquires before reusing them.
// Indices grow without wrapping (64-bit: centuries at any sample rate) and are masked into the
// buffer, so the whole capacity is usable and full/empty need no spare slot. Each side also
// keeps a private copy of the other side's index and re-reads the shared one only when the copy
// says the ring is full/empty, which keeps the two cache lines from bouncing on every call.
template <typename T>
class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>, "SpscRing copies elements with memcpy semantics");

public:
    // Allocates the storage once: capacity is minimumCapacity rounded up to a power of two
    // (at least 1). Thread: the owner's, before either side runs; allocates.
    explicit SpscRing(std::size_t minimumCapacity)
        : m_capacity(std::bit_ceil(std::max<std::size_t>(minimumCapacity, 1)))
        , m_mask(m_capacity - 1)
        , m_storage(std::make_unique<T[]>(m_capacity))
    {
    }

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    std::size_t capacity() const { return m_capacity; }

    // Producer: copies as many elements of `items` as fit, in order. Returns how many were
    // written (0 when full). Thread: the producer.
    std::size_t write(std::span<const T> items)
    {
        const std::size_t writeIndex = m_producer.writeIndex.load(std::memory_order_relaxed);
        std::size_t free = m_capacity - (writeIndex - m_producer.cachedReadIndex);
        if (free < items.size()) {
            m_producer.cachedReadIndex = m_consumer.readIndex.load(std::memory_order_acquire);
            free = m_capacity - (writeIndex - m_producer.cachedReadIndex);
        }
        const std::size_t count = std::min(free, items.size());
        if (count == 0)
            return 0;
        const std::size_t start = writeIndex & m_mask;
        const std::size_t firstPart = std::min(count, m_capacity - start);
        std::copy_n(items.data(), firstPart, m_storage.get() + start);
        std::copy_n(items.data() + firstPart, count - firstPart, m_storage.get());
        m_producer.writeIndex.store(writeIndex + count, std::memory_order_release);
        return count;
    }

    // Producer: appends one element if there is room. Thread: the producer.
    bool tryPush(const T& item) { return write(std::span<const T>(&item, 1)) == 1; }

    // Producer: how many elements can be written now (at least this many: the consumer may free
    // more meanwhile). Thread: the producer.
    std::size_t freeToWrite()
    {
        m_producer.cachedReadIndex = m_consumer.readIndex.load(std::memory_order_acquire);
        return m_capacity - (m_producer.writeIndex.load(std::memory_order_relaxed) - m_producer.cachedReadIndex);
    }

    // Consumer: moves up to items.size() elements out, oldest first. Returns how many were read
    // (0 when empty). Thread: the consumer.
    std::size_t read(std::span<T> items)
    {
        const std::size_t readIndex = m_consumer.readIndex.load(std::memory_order_relaxed);
        const std::size_t count = std::min(readableFrom(readIndex, items.size()), items.size());
        if (count == 0)
            return 0;
        const std::size_t start = readIndex & m_mask;
        const std::size_t firstPart = std::min(count, m_capacity - start);
        std::copy_n(m_storage.get() + start, firstPart, items.data());
        std::copy_n(m_storage.get(), count - firstPart, items.data() + firstPart);
        m_consumer.readIndex.store(readIndex + count, std::memory_order_release);
        return count;
    }

    // Consumer: takes the oldest element if any. Thread: the consumer.
    bool tryPop(T& item) { return read(std::span<T>(&item, 1)) == 1; }

    // Consumer: drops up to `count` of the oldest elements unread (e.g. to bound latency).
    // Returns how many were dropped. Thread: the consumer.
    std::size_t discard(std::size_t count)
    {
        const std::size_t readIndex = m_consumer.readIndex.load(std::memory_order_relaxed);
        const std::size_t dropped = std::min(readableFrom(readIndex, count), count);
        m_consumer.readIndex.store(readIndex + dropped, std::memory_order_release);
        return dropped;
    }

    // Consumer: how many elements can be read now (at least this many: the producer may add
    // more meanwhile). Thread: the consumer.
    std::size_t availableToRead()
    {
        const std::size_t readIndex = m_consumer.readIndex.load(std::memory_order_relaxed);
        m_consumer.cachedWriteIndex = m_producer.writeIndex.load(std::memory_order_acquire);
        return m_consumer.cachedWriteIndex - readIndex;
    }

    // Any thread: a snapshot of the fill level for statistics; may be stale by the time it is used.
    std::size_t approximateSize() const
    {
        const std::size_t readIndex = m_consumer.readIndex.load(std::memory_order_acquire);
        const std::size_t writeIndex = m_producer.writeIndex.load(std::memory_order_acquire);
        // The two loads are not atomic together; clamp the rare inconsistent pair.
        return writeIndex >= readIndex ? std::min(writeIndex - readIndex, m_capacity) : 0;
    }

private:
    // Consumer side: elements readable at readIndex, refreshing the cached write index only when
    // the cache cannot satisfy `wanted`.
    std::size_t readableFrom(std::size_t readIndex, std::size_t wanted)
    {
        std::size_t readable = m_consumer.cachedWriteIndex - readIndex;
        if (readable < wanted) {
            m_consumer.cachedWriteIndex = m_producer.writeIndex.load(std::memory_order_acquire);
            readable = m_consumer.cachedWriteIndex - readIndex;
        }
        return readable;
    }

    // 64 bytes: the cache line of every x86-64 and most ARM cores. (Not
    // std::hardware_destructive_interference_size: GCC warns that its value may differ between
    // compilations, which matters in a header.)
    static constexpr std::size_t kCacheLineBytes = 64;

    // Written by the producer only (its cached copy of the consumer's index is producer-private).
    struct alignas(kCacheLineBytes) ProducerSide {
        std::atomic<std::size_t> writeIndex{0};
        std::size_t cachedReadIndex = 0;
    };
    // Written by the consumer only.
    struct alignas(kCacheLineBytes) ConsumerSide {
        std::atomic<std::size_t> readIndex{0};
        std::size_t cachedWriteIndex = 0;
    };

    const std::size_t m_capacity;
    const std::size_t m_mask;
    const std::unique_ptr<T[]> m_storage;
    ProducerSide m_producer;
    ConsumerSide m_consumer;
};

} // namespace earshot::audio
