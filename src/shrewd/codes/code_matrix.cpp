#include "shrewd/codes/code_matrix.hpp"

#include <cstring>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd {

void check_code_bits(std::size_t bits, const std::string& where) {
  if (bits < kMinBits || bits > kMaxBits || bits % 8 != 0)
    fail(where, fmt::format("code length K = {} bits is not supported: K must be a multiple of 8 from {} to {}", bits,
                            kMinBits, kMaxBits));
}

bool CodeSpan::bit(std::size_t i, std::size_t j) const {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(code(i));
  return (bytes[j / 8] >> (7 - j % 8)) & 1;
}

std::size_t first_code_with_padding(CodeSpan codes) {
  const std::uint64_t mask = padding_mask(codes.bits);
  if (mask == 0) return codes.count;
  const std::size_t last = codes.words_per_code() - 1;
  for (std::size_t i = 0; i < codes.count; ++i)
    if (codes.code(i)[last] & mask) return i;
  return codes.count;
}

CodeMatrix::CodeMatrix(std::size_t bits, std::size_t count)
    : bits_(bits), count_(count), words_(count * words_for_bits(bits), 0) {
  check_code_bits(bits, "code matrix");
}

void CodeMatrix::set_bit(std::size_t i, std::size_t j, bool value) {
  auto* bytes = reinterpret_cast<std::uint8_t*>(code(i));
  const std::uint8_t mask = std::uint8_t(0x80u >> (j % 8));
  bytes[j / 8] = value ? (bytes[j / 8] | mask) : (bytes[j / 8] & ~mask);
}

void CodeMatrix::append_bytes(const std::uint8_t* bytes) {
  words_.resize(words_.size() + words_per_code(), 0);
  ++count_;
  std::memcpy(code(count_ - 1), bytes, bytes_per_code());
}

void CodeMatrix::append(CodeSpan codes) {
  if (codes.bits != bits_)
    fail("code matrix", fmt::format("cannot append {}-bit codes to {}-bit codes", codes.bits, bits_));
  words_.insert(words_.end(), codes.words, codes.words + codes.count * words_per_code());
  count_ += codes.count;
}

std::vector<std::uint8_t> CodeMatrix::packed_bytes() const {
  std::vector<std::uint8_t> bytes(count_ * bytes_per_code());
  for (std::size_t i = 0; i < count_; ++i) std::memcpy(&bytes[i * bytes_per_code()], code(i), bytes_per_code());
  return bytes;
}

}  // namespace shrewd
