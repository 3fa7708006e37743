#include "shrewd/index/substring_table.hpp"

#include <algorithm>
#include <bit>
#include <fmt/format.h>
#include <string>

#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

// Counting sort of rows 0..N-1 by bucket_of(row) into `rows`; returns the bucket offsets.
template <class Array, class BucketOf>
Array sort_rows_by_bucket(std::size_t rows_count, std::size_t buckets, BucketOf bucket_of, Array& rows) {
  Array begin(buckets + 1, 0);
  for (std::size_t row = 0; row < rows_count; ++row) ++begin[bucket_of(row) + 1];
  for (std::size_t b = 0; b < buckets; ++b) begin[b + 1] += begin[b];
  std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
  rows.assign(rows_count, 0);
  for (std::size_t row = 0; row < rows_count; ++row) rows[next[bucket_of(row)]++] = std::uint32_t(row);
  return begin;
}

}  // namespace

void SubstringTable::choose_kind(CodeSpan codes, const SubstringLayout& layout, std::size_t substring) {
  if (codes.count >= (std::size_t{1} << 32))
    fail("multi-index hashing", fmt::format("{} codes are too many (at most 2^32 - 1)", codes.count));
  const std::size_t floor_log2_n = codes.count < 2 ? 0 : std::bit_width(codes.count) - 1;
  direct_ = layout.length(substring) <= std::max<std::size_t>(16, floor_log2_n + 2);  // 2^length <= 4N
  const unsigned bucket_bits = codes.count <= 2 ? 1u : unsigned(std::bit_width(codes.count - 1));  // 2^t >= N
  shift_ = direct_ ? 0 : 64 - bucket_bits;
}

SubstringTable::SubstringTable(CodeSpan codes, const SubstringLayout& layout, std::size_t substring) {
  choose_kind(codes, layout, substring);
  if (direct_) {
    build_direct(codes, layout, substring);
  } else {
    build_hashed(codes, layout, substring);
    if (codes.words_per_code() == 1) {
      row_codes_.resize(rows_.size());
      for (std::size_t i = 0; i < rows_.size(); ++i) row_codes_[i] = codes.code(rows_[i])[0];
    }
  }
  view_ = {bucket_begin_, values_, value_begin_, rows_, row_codes_};
}

SubstringTable::SubstringTable(const Arrays& arrays, CodeSpan codes, const SubstringLayout& layout,
                               std::size_t substring, const std::string& where)
    : view_(arrays) {
  choose_kind(codes, layout, substring);
  check(codes, layout, substring, where);
}

namespace {

// Offsets start at 0, never decrease and end at `end`. (Branch-free loops: they run over every
// stored table each time an index file is opened.)
bool offsets_valid(std::span<const std::uint32_t> offsets, std::size_t end) {
  if (offsets.empty() || offsets.front() != 0 || offsets.back() != end) return false;
  bool decreases = false;
  for (std::size_t i = 1; i < offsets.size(); ++i) decreases |= offsets[i] < offsets[i - 1];
  return !decreases;
}

std::uint32_t largest(std::span<const std::uint32_t> values) {
  std::uint32_t top = 0;
  for (std::uint32_t v : values) top = std::max(top, v);
  return top;
}

}  // namespace

void SubstringTable::check(CodeSpan codes, const SubstringLayout& layout, std::size_t substring,
                           const std::string& where) const {
  const std::string table = fmt::format("corrupt multi-index table {}: ", substring);
  const std::size_t n = codes.count;
  const std::size_t buckets = direct_ ? std::size_t{1} << layout.length(substring) : std::size_t{1} << (64 - shift_);
  if (view_.bucket_begin.size() != buckets + 1)
    fail(where, fmt::format("{}{} bucket offsets, expected {}", table, view_.bucket_begin.size(), buckets + 1));
  if (view_.rows.size() != n) fail(where, fmt::format("{}{} rows for {} codes", table, view_.rows.size(), n));
  if (view_.row_codes.size() != (codes.words_per_code() == 1 ? n : 0))
    fail(where, fmt::format("{}holds {} row codes for {} codes of {} bits",
                            table, view_.row_codes.size(), n, codes.bits));
  if (direct_ ? !view_.values.empty() || !view_.value_begin.empty()
              : view_.value_begin.size() != view_.values.size() + 1)
    fail(where, fmt::format("{}value arrays do not match a {} table", table, direct_ ? "direct" : "hashed"));
  if (!offsets_valid(view_.bucket_begin, direct_ ? n : view_.values.size()) ||
      (!direct_ && !offsets_valid(view_.value_begin, n)))
    fail(where, table + "offsets out of order or out of range");
  if (const std::uint32_t row = largest(view_.rows); n > 0 && row >= n)
    fail(where, fmt::format("{}row {} is not below {}", table, row, n));
}

// A counting sort that places each row's code beside it in the same pass, reading the codes in
// order: `index build --mih` and the opening of files without stored tables wait for it.
void SubstringTable::build_direct(CodeSpan codes, const SubstringLayout& layout, std::size_t substring) {
  const std::size_t buckets = std::size_t{1} << layout.length(substring);
  const bool keep_codes = codes.words_per_code() == 1;
  bucket_begin_.assign(buckets + 1, 0);
  for (std::size_t row = 0; row < codes.count; ++row) ++bucket_begin_[layout.extract(codes.code(row), substring) + 1];
  for (std::size_t b = 0; b < buckets; ++b) bucket_begin_[b + 1] += bucket_begin_[b];
  rows_.resize(codes.count);
  if (keep_codes) row_codes_.resize(codes.count);
  // bucket_begin_[v] is the next free place of value v; afterwards it is the end of v's rows.
  for (std::size_t row = 0; row < codes.count; ++row) {
    const std::uint64_t* code = codes.code(row);
    const std::uint32_t place = bucket_begin_[layout.extract(code, substring)]++;
    rows_[place] = std::uint32_t(row);
    if (keep_codes) row_codes_[place] = code[0];
  }
  std::copy_backward(bucket_begin_.begin(), bucket_begin_.end() - 1, bucket_begin_.end());
  bucket_begin_[0] = 0;
}

void SubstringTable::build_hashed(CodeSpan codes, const SubstringLayout& layout, std::size_t substring) {
  const std::size_t buckets = std::size_t{1} << (64 - shift_);
  std::vector<std::uint64_t> value_of(codes.count);
  for (std::size_t row = 0; row < codes.count; ++row) value_of[row] = layout.extract(codes.code(row), substring);
  const auto row_begin = sort_rows_by_bucket(
      codes.count, buckets, [&](std::size_t row) { return mix(value_of[row]) >> shift_; }, rows_);

  // Inside each bucket: rows by (value, row); then one entry per distinct value.
  bucket_begin_.assign(buckets + 1, 0);
  for (std::size_t b = 0; b < buckets; ++b) {
    bucket_begin_[b] = std::uint32_t(values_.size());
    auto first = rows_.begin() + row_begin[b], last = rows_.begin() + row_begin[b + 1];
    std::sort(first, last, [&](std::uint32_t x, std::uint32_t y) {
      return value_of[x] != value_of[y] ? value_of[x] < value_of[y] : x < y;
    });
    for (auto it = first; it != last; ++it)
      if (it == first || value_of[*it] != values_.back()) {
        values_.push_back(value_of[*it]);
        value_begin_.push_back(std::uint32_t(it - rows_.begin()));
      }
  }
  bucket_begin_[buckets] = std::uint32_t(values_.size());
  value_begin_.push_back(std::uint32_t(rows_.size()));
  values_.shrink_to_fit();
  value_begin_.shrink_to_fit();
}

std::size_t SubstringTable::bytes() const {
  return view_.bucket_begin.size_bytes() + view_.values.size_bytes() + view_.value_begin.size_bytes() +
         view_.rows.size_bytes() + view_.row_codes.size_bytes();
}

}  // namespace shrewd
