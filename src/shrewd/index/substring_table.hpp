#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/huge_page_allocator.hpp"
#include "shrewd/index/substring_layout.hpp"

namespace shrewd {

// The rows of one table bucket, ascending; with one-word codes (K <= 64) also the codes of those
// rows, stored alongside so that candidates are verified without touching the code matrix.
struct SubstringBucket {
  std::span<const std::uint32_t> rows;
  const std::uint64_t* codes = nullptr;  // codes[i] is the code of rows[i]; null for K > 64
};

// The rows of a code set grouped by the value of one substring: lookup(v) gives, in ascending order,
// the rows whose substring equals v.
//
// Short substrings (2^length <= max(2^16, 4N)) use a direct table: the rows sorted by value plus
// 2^length + 1 offsets (compressed sparse rows): at most 4N + 16N bytes, one cache miss per
// lookup. Longer ones hash the value (a 64-bit mixer, top t bits with 2^t >= N) into buckets holding
// the distinct values present and, per value, its rows: no empty slots beyond the 2^t + 1 bucket
// offsets. Rows are 32-bit, so N < 2^32. For K <= 64 the table also keeps each row's code next to
// it (8N bytes): random reads of the code matrix were most of the search time.
class SubstringTable {
 public:
  SubstringTable(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);

  SubstringBucket lookup(std::uint64_t value) const {
    if (direct_) return bucket_between(bucket_begin_[value], bucket_begin_[value + 1]);
    const std::uint64_t bucket = mix(value) >> shift_;
    for (std::uint32_t i = bucket_begin_[bucket]; i < bucket_begin_[bucket + 1]; ++i)
      if (values_[i] == value) return bucket_between(value_begin_[i], value_begin_[i + 1]);
    return {};
  }

  // Starts loading what lookup(value) reads first (the search prefetches a batch of buckets).
  void prefetch(std::uint64_t value) const {
    __builtin_prefetch(bucket_begin_.data() + (direct_ ? value : mix(value) >> shift_));
  }

  bool direct() const { return direct_; }
  std::size_t bytes() const;  // memory held by the table

 private:
  static std::uint64_t mix(std::uint64_t x) {  // a bijective 64-bit finaliser
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
  }
  SubstringBucket bucket_between(std::uint32_t begin, std::uint32_t end) const {
    return {{rows_.data() + begin, rows_.data() + end}, row_codes_.empty() ? nullptr : row_codes_.data() + begin};
  }
  void build_direct(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);
  void build_hashed(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);

  bool direct_ = true;
  unsigned shift_ = 0;                       // hashed: bucket = mix(value) >> shift_
  template <class T>
  using Array = std::vector<T, HugePageAllocator<T>>;

  Array<std::uint32_t> bucket_begin_;  // direct: into rows_; hashed: into values_
  Array<std::uint64_t> values_;        // hashed: the distinct values, bucket by bucket
  Array<std::uint32_t> value_begin_;   // hashed: values_[i] owns rows_[value_begin_[i], value_begin_[i+1])
  Array<std::uint32_t> rows_;
  Array<std::uint64_t> row_codes_;     // K <= 64: row_codes_[i] is the code of rows_[i]
};

}  // namespace shrewd
