#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/substring_layout.hpp"
#include "shrewd/index/substring_table.hpp"

namespace shrewd {

// The multi-index tables section of an index file (docs/search.md), so that opening a file searches
// the stored tables in place instead of building them. All 64-bit little-endian words:
//
//   m, the number of tables
//   per table: the entry counts of its five arrays (SubstringTable::Arrays, in that order), then
//              the arrays, each zero-padded to a whole number of words
//
// One contiguous piece of the section, for writing and checksumming it without a copy.
struct SectionPiece {
  const void* data;
  std::size_t bytes;
};

// The pieces of the section for these tables (the words they point to live in `scratch`, which
// must outlive the pieces, or in the tables).
std::vector<SectionPiece> substring_table_section(const std::vector<SubstringTable>& tables,
                                                  std::vector<std::uint64_t>& scratch);

// The tables stored in a section, over the mapped words, checked against the codes and the layout:
// any problem is an Error naming `where`.
std::vector<SubstringTable> read_substring_table_section(std::span<const std::uint64_t> section, CodeSpan codes,
                                                         const SubstringLayout& layout, const std::string& where);

}  // namespace shrewd
