#include "shrewd/index/substring_table_file.hpp"

#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

constexpr std::size_t kArrays = 5;
constexpr std::uint64_t kZeroPadding = 0;

std::size_t words_for_bytes(std::size_t bytes) { return (bytes + 7) / 8; }

template <class T>
void add_array(std::vector<SectionPiece>& pieces, std::span<const T> array) {
  if (array.empty()) return;
  pieces.push_back({array.data(), array.size_bytes()});
  if (const std::size_t tail = array.size_bytes() % 8) pieces.push_back({&kZeroPadding, 8 - tail});
}

// Reads arrays one after another from the section's words, failing rather than reading past its end.
class SectionReader {
 public:
  SectionReader(std::span<const std::uint64_t> words, const std::string& where) : words_(words), where_(where) {}

  std::uint64_t word() {
    if (at_ >= words_.size()) fail(where_, "corrupt multi-index tables: the section ends early");
    return words_[at_++];
  }
  template <class T>
  std::span<const T> array(std::uint64_t count) {
    if (count > (words_.size() - at_) * 8 / sizeof(T))
      fail(where_, fmt::format("corrupt multi-index tables: an array of {} entries runs past the file", count));
    const auto* first = reinterpret_cast<const T*>(words_.data() + at_);
    at_ += words_for_bytes(count * sizeof(T));
    return {first, std::size_t(count)};
  }
  bool at_end() const { return at_ == words_.size(); }

 private:
  std::span<const std::uint64_t> words_;
  const std::string& where_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<SectionPiece> substring_table_section(const std::vector<SubstringTable>& tables,
                                                  std::vector<std::uint64_t>& scratch) {
  scratch.assign(1 + kArrays * tables.size(), 0);
  scratch[0] = tables.size();
  std::vector<SectionPiece> pieces{{scratch.data(), 8}};
  for (std::size_t j = 0; j < tables.size(); ++j) {
    const SubstringTable::Arrays& a = tables[j].arrays();
    std::uint64_t* counts = scratch.data() + 1 + kArrays * j;
    counts[0] = a.bucket_begin.size();
    counts[1] = a.values.size();
    counts[2] = a.value_begin.size();
    counts[3] = a.rows.size();
    counts[4] = a.row_codes.size();
    pieces.push_back({counts, kArrays * 8});
    add_array(pieces, a.bucket_begin);
    add_array(pieces, a.values);
    add_array(pieces, a.value_begin);
    add_array(pieces, a.rows);
    add_array(pieces, a.row_codes);
  }
  return pieces;
}

std::vector<SubstringTable> read_substring_table_section(std::span<const std::uint64_t> section, CodeSpan codes,
                                                         const SubstringLayout& layout, const std::string& where) {
  SectionReader in(section, where);
  const std::uint64_t m = in.word();
  if (m != layout.count())
    fail(where, fmt::format("corrupt multi-index tables: {} tables for {} substrings", m, layout.count()));
  std::vector<SubstringTable> tables;
  tables.reserve(layout.count());
  for (std::size_t j = 0; j < layout.count(); ++j) {
    std::uint64_t counts[kArrays];
    for (auto& count : counts) count = in.word();
    SubstringTable::Arrays arrays;
    arrays.bucket_begin = in.array<std::uint32_t>(counts[0]);
    arrays.values = in.array<std::uint64_t>(counts[1]);
    arrays.value_begin = in.array<std::uint32_t>(counts[2]);
    arrays.rows = in.array<std::uint32_t>(counts[3]);
    arrays.row_codes = in.array<std::uint64_t>(counts[4]);
    tables.emplace_back(arrays, codes, layout, j, where);
  }
  if (!in.at_end()) fail(where, "corrupt multi-index tables: unexpected words after the last table");
  return tables;
}

}  // namespace shrewd
