#pragma once

#include <CLI/CLI.hpp>

#include "shrewd/codes/code_npy.hpp"

namespace shrewd::cli {

// Options that several commands take, defined once.

// --unpacked / --packed: how a command reads uint8 code files whose layout is ambiguous (every
// value 0 or 1 and a width that could be K bits); without either, such a file is an error.
void add_code_layout_flags(CLI::App& command, CodeLayout& layout);

// A count of at least 1 given as plain digits: CLI11 would read "-1" into a size_t as 2^64 - 1.
CLI::Validator count_of_at_least_one();

}  // namespace shrewd::cli
