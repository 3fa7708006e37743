#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace shrewd {

// How multi-index hashing cuts a K-bit code into m disjoint substrings of at most 64 bits.
//
// Substrings are contiguous runs of the code's *storage* bits: storage bit p is bit p % 64 of the
// little-endian 64-bit word p / 64, so storage bits [0, K) hold exactly the K code bits (each byte
// of packbits keeps its 8 bits, in reversed order inside the byte) and the zero padding lies above
// K. Any partition of the K bits works for the pigeonhole argument, and this one makes a substring
// one or two shifts of at most two words; substrings need not be byte aligned. The first K mod m
// substrings are one bit longer than the others.
class SubstringLayout {
 public:
  // Fails with an Error unless 8 <= bits <= 1024, bits % 8 == 0 and
  // min_substrings(bits) <= substrings <= bits.
  SubstringLayout(std::size_t bits, std::size_t substrings);

  // The automatic rule: about K / log2(N) substrings (Norouzi et al.), so that a substring has about
  // log2 N bits and a table bucket holds about one code; substrings are kept between 8 and 64 bits
  // (at least ceil(K / 64) substrings and at most K / 8).
  static std::size_t automatic_substrings(std::size_t bits, std::size_t codes);
  // The layout for `codes` codes of `bits` bits: `substrings` of them, or automatic_substrings for 0.
  static SubstringLayout for_codes(std::size_t bits, std::size_t codes, std::size_t substrings) {
    return {bits, substrings == 0 ? automatic_substrings(bits, codes) : substrings};
  }
  // Fewest substrings that keep every substring within one 64-bit key: ceil(K / 64).
  static std::size_t min_substrings(std::size_t bits) { return (bits + 63) / 64; }

  std::size_t bits() const { return bits_; }
  std::size_t count() const { return starts_.size(); }
  std::size_t start(std::size_t j) const { return starts_[j]; }
  std::size_t length(std::size_t j) const { return lengths_[j]; }
  std::size_t max_length() const { return lengths_.empty() ? 0 : lengths_.front(); }

  // Substring j of a code (its storage words), as the low length(j) bits of the result.
  std::uint64_t extract(const std::uint64_t* code, std::size_t j) const {
    const std::size_t start = starts_[j], length = lengths_[j];
    const std::size_t word = start / 64, offset = start % 64;
    std::uint64_t value = code[word] >> offset;
    if (offset + length > 64) value |= code[word + 1] << (64 - offset);
    return length == 64 ? value : value & ((std::uint64_t{1} << length) - 1);
  }

 private:
  std::size_t bits_;
  std::vector<std::size_t> starts_;
  std::vector<std::size_t> lengths_;
};

}  // namespace shrewd
