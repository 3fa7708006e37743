#include "shrewd/net/bearer_token.hpp"

#include <cctype>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd::net {

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Scan the expected length whatever `a` is, so timing does not reveal the matching prefix.
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const unsigned char from_a = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    difference |= static_cast<unsigned char>(from_a ^ static_cast<unsigned char>(b[i]));
  }
  return difference == 0;
}

bool bearer_token_matches(std::string_view authorization_header, std::string_view token) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization_header.size() < scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization_header[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return false;
  return constant_time_equal(authorization_header.substr(scheme.size()), token);
}

std::string read_token_file(const std::filesystem::path& path) {
  std::string token = read_file(path, "the token file");
  token = token.substr(0, token.find('\n'));  // the first line
  const auto first = token.find_first_not_of(" \t\r\n");
  const auto last = token.find_last_not_of(" \t\r\n");
  token = first == std::string::npos ? std::string{} : token.substr(first, last - first + 1);
  if (token.size() < 16) fail(path.string(), "the token must have at least 16 characters");
  for (const char c : token)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      fail(path.string(), "the token may only hold printable ASCII characters without spaces");
  return token;
}

}  // namespace shrewd::net
