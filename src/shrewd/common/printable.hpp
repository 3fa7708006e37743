#pragma once

#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace shrewd {

// The length of the well-formed UTF-8 sequence at text[i] for a printable character (U+00A0 and
// up: no C1 controls, surrogates or overlong forms), or 0.
inline std::size_t printable_utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, code = lead & 0x1fu;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code = lead & 0x0fu;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code = lead & 0x07u;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3fu);
  }
  static constexpr std::uint32_t kSmallest[5] = {0, 0, 0xa0, 0x800, 0x10000};
  if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

// Text from an untrusted file, made safe to put in a one-line message: in double quotes, with
// control bytes, bytes that are not well-formed UTF-8, quotes and backslashes written as C escapes
// (\n, \t, \", \\, \xHH), and cut after about `limit` bytes of the input with "..." and the full
// length appended.
inline std::string printable(std::string_view text, std::size_t limit = 60) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  std::size_t i = 0;
  for (; i < text.size() && i < limit; ++i) {
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
        } else if (const std::size_t length = byte >= 0x80 ? printable_utf8_length(text, i) : 0; length > 0) {
          out.append(text.substr(i, length));
          i += length - 1;
        } else {
          out += "\\x";
          out += kHex[byte >> 4];
          out += kHex[byte & 15];
        }
    }
  }
  out += '"';
  if (i < text.size()) out += fmt::format("... ({} bytes)", text.size());
  return out;
}

// A name from an untrusted file (a node, a lemma, a field) for a message: unchanged when it is
// 1..limit bytes of printable ASCII or UTF-8 without quotes or backslashes, printable(text, limit)
// otherwise.
inline std::string printable_name(std::string_view text, std::size_t limit = 60) {
  bool plain = !text.empty() && text.size() <= limit;
  for (std::size_t i = 0; plain && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = printable_utf8_length(text, i);
      plain = length > 0;
      if (length) i += length - 1;
    } else if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '\'') {
      plain = false;
    }
  }
  return plain ? std::string(text) : printable(text, limit);
}

// As printable_name, in single quotes when unchanged: 'dog' or "do\x01g".
inline std::string quoted_name(std::string_view text, std::size_t limit = 60) {
  const std::string name = printable_name(text, limit);
  return !name.empty() && name.front() == '"' ? name : fmt::format("'{}'", name);
}

}  // namespace shrewd
