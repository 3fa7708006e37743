#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::semantics {

// Calls line(number, text) for every line (1-based numbers, without the line break; a trailing
// '\r' is dropped). Blank lines and lines whose first non-blank character is '#' are skipped.
void for_each_content_line(std::string_view text,
                           const std::function<void(std::size_t, std::string_view)>& line);

// Splits on runs of spaces and tabs.
std::vector<std::string_view> split_whitespace(std::string_view text);

std::string_view trim(std::string_view text);

}  // namespace shrewd::semantics
