// Index files (src/shrewd/index/index_file.*): the bytes are written to a temporary file and opened
// with open_index; if that accepts them, a small k-NN and radius search runs over the result. Bit 0
// of the first byte turns the checksum check off, so the fuzzer reaches the checks behind it.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/open_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  shrewd::OpenIndexOptions options;
  options.verify_checksum = (data[0] & 1) == 0;
  shrewd::fuzz::TempPath file("index.shx");
  shrewd::fuzz::write_bytes(file.path(), data + 1, size - 1);
  try {
    const auto index = shrewd::open_index(file.path(), options);
    // Two queries: the first stored code (or zeros) and its complement.
    shrewd::CodeMatrix queries(index->bits(), 2);
    const auto words = queries.words_per_code();
    const auto stored = index->file().codes();
    if (index->file().count() > 0) std::copy_n(stored.code(0), words, queries.code(0));
    for (std::size_t w = 0; w < words; ++w) queries.code(1)[w] = ~queries.code(0)[w];
    // Keep padding bits zero, as every code must.
    queries.code(1)[words - 1] &= ~shrewd::padding_mask(index->bits());
    const std::size_t k = std::min<std::size_t>(index->size(), 5) + 1;
    (void)index->search(queries.span(), k);
    (void)index->range_search(queries.span(), 2);
  } catch (const shrewd::Error&) {
  }
  return 0;
}
