#include "shrewd/cli/code_layout_option.hpp"

namespace shrewd::cli {

void add_code_layout_flags(CLI::App& command, CodeLayout& layout) {
  auto* unpacked = command.add_flag_callback(
      "--unpacked", [&layout] { layout = CodeLayout::Unpacked; }, "uint8 code files hold one 0/1 element per bit");
  auto* packed = command.add_flag_callback(
      "--packed", [&layout] { layout = CodeLayout::Packed; }, "uint8 code files are numpy packbits rows (K/8 bytes)");
  unpacked->excludes(packed);
}

}  // namespace shrewd::cli
