#pragma once

#include <CLI/CLI.hpp>

#include "shrewd/codes/code_npy.hpp"

namespace shrewd::cli {

// --unpacked / --packed: how a command reads uint8 code files whose layout is ambiguous (every
// value 0 or 1 and a width that could be K bits); without either, such a file is an error.
void add_code_layout_flags(CLI::App& command, CodeLayout& layout);

}  // namespace shrewd::cli
