// Codes from .npy (src/shrewd/codes/code_npy.*) in each layout. The first byte picks the layout.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto layout = static_cast<shrewd::CodeLayout>(data[0] % 3);
  shrewd::fuzz::TempPath file("codes.npy");
  shrewd::fuzz::write_bytes(file.path(), data + 1, size - 1);
  try {
    const shrewd::CodeMatrix codes = shrewd::read_codes_npy(file.path(), layout);
    (void)codes.size();
  } catch (const shrewd::Error&) {
  }
  return 0;
}
