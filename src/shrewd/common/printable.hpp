#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace shrewd {

// Text from an untrusted file, made safe to put in a one-line message: in double quotes, with
// control bytes, non-ASCII bytes, quotes and backslashes written as C escapes (\n, \t, \", \\,
// \xHH), and cut after `limit` bytes of the input with "..." and the full length appended.
inline std::string printable(std::string_view text, std::size_t limit = 60) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t shown = text.size() > limit ? limit : text.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    switch (byte) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (byte >= 0x20 && byte < 0x7f) {
          out += char(byte);
        } else {
          out += "\\x";
          out += kHex[byte >> 4];
          out += kHex[byte & 15];
        }
    }
  }
  out += '"';
  if (shown < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace shrewd
