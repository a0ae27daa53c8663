#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace earshot::protocol {

// A 32-byte secret (AppSign, ServerSecret, media session key) kept in sodium_malloc'd memory:
// guarded pages, locked against swapping, zeroed on destruction. Move-only. Never printed:
// there is deliberately no conversion to text. Not thread-safe; owned by one thread at a time.
class SecureKey {
public:
    static constexpr std::size_t kSize = 32;

    SecureKey();                                         // all zero
    explicit SecureKey(std::span<const std::uint8_t, kSize> bytes);
    ~SecureKey();
    SecureKey(SecureKey&& other) noexcept;
    SecureKey& operator=(SecureKey&& other) noexcept;
    SecureKey(const SecureKey&) = delete;
    SecureKey& operator=(const SecureKey&) = delete;

    // Parses exactly 64 hex digits; returns false (leaving the key unchanged) otherwise.
    [[nodiscard]] bool setFromHex(const char* hex, std::size_t length) noexcept;

    [[nodiscard]] std::span<const std::uint8_t, kSize> bytes() const noexcept;
    [[nodiscard]] std::span<std::uint8_t, kSize> mutableBytes() noexcept;
    [[nodiscard]] bool isZero() const noexcept;
    // Constant-time comparison.
    [[nodiscard]] bool equals(const SecureKey& other) const noexcept;
    [[nodiscard]] SecureKey clone() const;

private:
    std::uint8_t* m_bytes = nullptr;
};

} // namespace earshot::protocol
