#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>
#include <string>
#include <vector>

namespace shrewd {

// Layout of every code in shrewd: K bits (K a multiple of 8, 8..1024) stored as the K/8 bytes of
// numpy's packbits (bit j of the code is bit 7 - j % 8 of byte j / 8), padded with zero bytes to
// whole 64-bit words. Hamming distance is then XOR + popcount over words, and a packbits row
// converts to a code with one memcpy.
constexpr std::size_t kMinBits = 8;
constexpr std::size_t kMaxBits = 1024;

// Fails with an Error naming `where` unless bits is a multiple of 8 in [8, 1024].
void check_code_bits(std::size_t bits, const std::string& where);

inline std::size_t words_for_bits(std::size_t bits) { return (bits + 63) / 64; }

// The bits of a code's last word that lie past bit K - 1 and must be zero, or distances would count
// them: the high bytes of the word (packbits bytes fill it from its lowest byte); 0 when K is a
// multiple of 64.
inline std::uint64_t padding_mask(std::size_t bits) { return bits % 64 == 0 ? 0 : ~std::uint64_t{0} << (bits % 64); }

// A read-only view of N codes (owned by a CodeMatrix or a memory-mapped index file).
struct CodeSpan {
  const std::uint64_t* words = nullptr;
  std::size_t count = 0;
  std::size_t bits = 0;

  std::size_t words_per_code() const { return words_for_bits(bits); }
  const std::uint64_t* code(std::size_t i) const { return words + i * words_per_code(); }
  bool bit(std::size_t i, std::size_t j) const;
  CodeSpan rows(std::size_t first, std::size_t n) const { return {code(first), n, bits}; }
};

// The position of the first code with a padding bit set, or codes.count when every code is clean.
std::size_t first_code_with_padding(CodeSpan codes);

// Memory that starts on a cache line (64 bytes). Codes stored from a cache line on are never
// split across two lines by the Hamming kernels' vector loads; on malloc's 16-byte alignment the
// flat scan of 1M 64-bit codes took 15-20% longer (bench/python_search_bench.py, docs/python.md).
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::size_t kLine = 64;
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (n > (std::size_t(-1) - kLine) / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n == 0 ? kLine : (n * sizeof(T) + kLine - 1) / kLine * kLine;
    void* p = std::aligned_alloc(kLine, bytes);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
};

// N codes of K bits, owning its memory (from a cache line on).
class CodeMatrix {
 public:
  explicit CodeMatrix(std::size_t bits, std::size_t count = 0);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::size_t bits() const { return bits_; }
  std::size_t words_per_code() const { return words_for_bits(bits_); }
  std::size_t bytes_per_code() const { return bits_ / 8; }

  const std::uint64_t* code(std::size_t i) const { return words_.data() + i * words_per_code(); }
  std::uint64_t* code(std::size_t i) { return words_.data() + i * words_per_code(); }
  const std::uint8_t* code_bytes(std::size_t i) const { return reinterpret_cast<const std::uint8_t*>(code(i)); }

  bool bit(std::size_t i, std::size_t j) const { return span().bit(i, j); }
  void set_bit(std::size_t i, std::size_t j, bool value);

  // Appends one code given as its K/8 packbits bytes.
  void append_bytes(const std::uint8_t* bytes);
  void append(CodeSpan codes);
  void reserve(std::size_t count) { words_.reserve(count * words_per_code()); }

  CodeSpan span() const { return {words_.data(), count_, bits_}; }
  operator CodeSpan() const { return span(); }

  // The codes as packbits bytes, row after row: the .npy uint8 [N, K/8] payload.
  std::vector<std::uint8_t> packed_bytes() const;

 private:
  std::size_t bits_;
  std::size_t count_;
  std::vector<std::uint64_t, CacheLineAllocator<std::uint64_t>> words_;
};

}  // namespace shrewd
