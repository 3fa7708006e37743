#include "shrewd/cli/shared_options.hpp"

#include <fmt/format.h>
#include <string>

namespace shrewd::cli {

void add_code_layout_flags(CLI::App& command, CodeLayout& layout) {
  auto* unpacked = command.add_flag_callback(
      "--unpacked", [&layout] { layout = CodeLayout::Unpacked; }, "uint8 code files hold one 0/1 element per bit");
  auto* packed = command.add_flag_callback(
      "--packed", [&layout] { layout = CodeLayout::Packed; }, "uint8 code files are numpy packbits rows (K/8 bytes)");
  unpacked->excludes(packed);
}

CLI::Validator count_of_at_least_one() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (!text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos &&
            std::stoull(text) >= 1)
          return "";
        return fmt::format("must be a whole number of at least 1, not \"{}\"", text);
      },
      "N>=1");
}

}  // namespace shrewd::cli
