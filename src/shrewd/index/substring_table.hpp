#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
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
  // The arrays of a table, as an index file stores them (index/substring_table_file.hpp).
  struct Arrays {
    std::span<const std::uint32_t> bucket_begin;  // direct: into rows; hashed: into values
    std::span<const std::uint64_t> values;        // hashed: the distinct values, bucket by bucket
    std::span<const std::uint32_t> value_begin;   // hashed: values[i] owns rows[value_begin[i], value_begin[i+1])
    std::span<const std::uint32_t> rows;
    std::span<const std::uint64_t> row_codes;     // K <= 64: row_codes[i] is the code of rows[i]
  };

  // Builds the table of one substring of the codes.
  SubstringTable(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);
  // A table over arrays that outlive it (an index file's mapping). Checks every size and offset a
  // lookup relies on, so that no lookup reads outside the arrays; a problem is an Error naming `where`.
  SubstringTable(const Arrays& arrays, CodeSpan codes, const SubstringLayout& layout, std::size_t substring,
                 const std::string& where);
  SubstringTable(SubstringTable&&) = default;
  SubstringTable& operator=(SubstringTable&&) = default;

  SubstringBucket lookup(std::uint64_t value) const {
    if (direct_) return bucket_between(view_.bucket_begin[value], view_.bucket_begin[value + 1]);
    const std::uint64_t bucket = mix(value) >> shift_;
    for (std::uint32_t i = view_.bucket_begin[bucket]; i < view_.bucket_begin[bucket + 1]; ++i)
      if (view_.values[i] == value) return bucket_between(view_.value_begin[i], view_.value_begin[i + 1]);
    return {};
  }

  // Starts loading what lookup(value) reads first (the search prefetches a batch of buckets).
  void prefetch(std::uint64_t value) const {
    __builtin_prefetch(view_.bucket_begin.data() + (direct_ ? value : mix(value) >> shift_));
  }

  bool direct() const { return direct_; }
  const Arrays& arrays() const { return view_; }
  std::size_t bytes() const;  // memory held by the table (or mapped for it)

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
    return {view_.rows.subspan(begin, end - begin), view_.row_codes.empty() ? nullptr : view_.row_codes.data() + begin};
  }
  void choose_kind(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);
  void build_direct(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);
  void build_hashed(CodeSpan codes, const SubstringLayout& layout, std::size_t substring);
  void check(CodeSpan codes, const SubstringLayout& layout, std::size_t substring, const std::string& where) const;

  bool direct_ = true;
  unsigned shift_ = 0;  // hashed: bucket = mix(value) >> shift_
  template <class T>
  using Array = std::vector<T, HugePageAllocator<T>>;

  // A built table owns its arrays; a mapped one owns none. Lookups read view_ either way.
  Array<std::uint32_t> bucket_begin_;
  Array<std::uint64_t> values_;
  Array<std::uint32_t> value_begin_;
  Array<std::uint32_t> rows_;
  Array<std::uint64_t> row_codes_;
  Arrays view_;
};

}  // namespace shrewd
