// Class hierarchy files (src/shrewd/semantics/hierarchy.*): parse, then walk what was accepted.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/hierarchy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto hierarchy = shrewd::semantics::Hierarchy::parse(text, "fuzz.txt");
    (void)hierarchy.to_text();
    std::ostringstream out;
    hierarchy.write_indented(out, [](std::size_t) { return std::string(); });
    const std::size_t n = hierarchy.size();
    if (n > 0) {
      (void)hierarchy.ancestors_and_self(n - 1);
      (void)hierarchy.lowest_common_subsumer(0, n - 1);
      (void)hierarchy.depth(n - 1);
      (void)hierarchy.height(0);
    }
  } catch (const shrewd::Error&) {
  }
  return 0;
}
