#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace shrewd::net {

// Compares in time that depends only on the lengths, not on where the texts differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// True when the Authorization header value is "Bearer <token>" with exactly this token.
bool bearer_token_matches(std::string_view authorization_header, std::string_view token);

// The token from a file: its first line, surrounding white space removed. Fails with an Error
// naming the file when it cannot be read, is empty or holds characters that cannot travel in a
// header.
std::string read_token_file(const std::filesystem::path& path);

}  // namespace shrewd::net
