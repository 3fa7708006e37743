// Class list files (src/shrewd/semantics/class_list.*): parse, print back, parse the print again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/class_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto classes = shrewd::semantics::ClassList::parse(text, "fuzz.txt");
    for (std::size_t i = 0; i < classes.size(); ++i) (void)classes.where(i), (void)classes.label(i);
    (void)shrewd::semantics::ClassList::parse(classes.to_text(), "fuzz-again.txt");
  } catch (const shrewd::Error&) {
  }
  return 0;
}
