// IDX files (src/shrewd/formats/idx.*), plain or gzipped: bit 0 of the first byte reads images or
// labels, bit 1 asks the label reader to check against 10 classes.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/formats/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  shrewd::fuzz::TempPath file("idx-ubyte");
  shrewd::fuzz::write_bytes(file.path(), data + 1, size - 1);
  try {
    if (data[0] & 1)
      (void)shrewd::formats::read_idx_labels(file.path(), (data[0] & 2) ? 10 : 0);
    else
      (void)shrewd::formats::read_idx_images(file.path());
  } catch (const shrewd::Error&) {
  }
  return 0;
}
