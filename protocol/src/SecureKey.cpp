#include <earshot/protocol/SecureKey.h>

#include "SodiumInit.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <new>
#include <utility>

namespace earshot::protocol {

namespace {

// What a moved-from key (which owns no memory) reads as, so it is indistinguishable from a
// zero key and never a dangling pointer.
constexpr std::array<std::uint8_t, SecureKey::kSize> kZeroBytes {};

std::uint8_t* allocateZeroed() noexcept
{
    detail::ensureSodiumInitialised();
    auto* bytes = static_cast<std::uint8_t*>(sodium_malloc(SecureKey::kSize));
    if (bytes != nullptr)
        sodium_memzero(bytes, SecureKey::kSize); // sodium_malloc fills with a canary, not zeros
    return bytes;
}

void release(std::uint8_t* bytes) noexcept
{
    if (bytes == nullptr)
        return;
    sodium_memzero(bytes, SecureKey::kSize);
    sodium_free(bytes);
}

} // namespace

SecureKey::SecureKey()
    : m_bytes(allocateZeroed())
{
    if (m_bytes == nullptr)
        throw std::bad_alloc();
}

SecureKey::SecureKey(std::span<const std::uint8_t, kSize> bytes)
    : SecureKey()
{
    std::copy(bytes.begin(), bytes.end(), m_bytes);
}

SecureKey::~SecureKey()
{
    release(m_bytes);
}

// Moves hand the guarded allocation over instead of copying secrets around; the source is left
// owning nothing and reads as all zero (see kZeroBytes) until it is written again.
SecureKey::SecureKey(SecureKey&& other) noexcept
    : m_bytes(std::exchange(other.m_bytes, nullptr))
{
}

SecureKey& SecureKey::operator=(SecureKey&& other) noexcept
{
    if (this != &other) {
        release(m_bytes);
        m_bytes = std::exchange(other.m_bytes, nullptr);
    }
    return *this;
}

bool SecureKey::setFromHex(const char* hex, std::size_t length) noexcept
{
    if (hex == nullptr || length != 2 * kSize)
        return false;
    // Decode into a separate guarded buffer first, so a failure halfway leaves this key intact.
    std::uint8_t* decoded = allocateZeroed();
    if (decoded == nullptr)
        return false;
    std::size_t decodedLength = 0;
    const char* end = nullptr;
    const bool ok = sodium_hex2bin(decoded, kSize, hex, length, nullptr, &decodedLength, &end) == 0
        && decodedLength == kSize && end == hex + length;
    if (!ok) {
        release(decoded);
        return false;
    }
    release(m_bytes);
    m_bytes = decoded;
    return true;
}

std::span<const std::uint8_t, SecureKey::kSize> SecureKey::bytes() const noexcept
{
    if (m_bytes == nullptr)
        return std::span<const std::uint8_t, kSize>(kZeroBytes);
    return std::span<const std::uint8_t, kSize>(m_bytes, kSize);
}

std::span<std::uint8_t, SecureKey::kSize> SecureKey::mutableBytes() noexcept
{
    if (m_bytes == nullptr) {
        // Only a moved-from key gets here; it becomes a fresh zero key again.
        m_bytes = allocateZeroed();
        if (m_bytes == nullptr)
            std::abort(); // cannot report out-of-memory through a noexcept accessor
    }
    return std::span<std::uint8_t, kSize>(m_bytes, kSize);
}

bool SecureKey::isZero() const noexcept
{
    return sodium_is_zero(bytes().data(), kSize) == 1;
}

bool SecureKey::equals(const SecureKey& other) const noexcept
{
    return sodium_memcmp(bytes().data(), other.bytes().data(), kSize) == 0;
}

SecureKey SecureKey::clone() const
{
    return SecureKey(bytes());
}

} // namespace earshot::protocol
