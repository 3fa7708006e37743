#include "shrewd/serve/code_text.hpp"

#include <array>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of a base64 character in the standard or the URL-safe alphabet, -1 for anything else.
int base64_value(char c) {
  if (c == '-') return 62;
  if (c == '_') return 63;
  const auto at = kBase64Alphabet.find(c);
  return at == std::string_view::npos ? -1 : int(at);
}

}  // namespace

std::vector<std::uint8_t> parse_hex_bytes(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  if (text.size() % 2 != 0) fail("code (hex)", fmt::format("odd number of hex digits ({})", text.size()));
  std::vector<std::uint8_t> bytes(text.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int high = hex_value(text[2 * i]), low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0)
      fail("code (hex)", fmt::format("character {} is not a hex digit", 2 * i + (high < 0 ? 0 : 1)));
    bytes[i] = std::uint8_t(high * 16 + low);
  }
  return bytes;
}

std::vector<std::uint8_t> parse_base64_bytes(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) fail("code (base64)", fmt::format("length {} is not a base64 length", text.size()));
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int buffered_bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int value = base64_value(text[i]);
    if (value < 0) fail("code (base64)", fmt::format("character {} is not a base64 character", i));
    buffer = (buffer << 6) | std::uint32_t(value);
    buffered_bits += 6;
    if (buffered_bits >= 8) {
      buffered_bits -= 8;
      bytes.push_back(std::uint8_t(buffer >> buffered_bits));
      buffer &= (1u << buffered_bits) - 1;
    }
  }
  return bytes;
}

CodeMatrix code_from_bytes(const std::vector<std::uint8_t>& bytes, std::size_t bits) {
  if (bytes.size() * 8 != bits)
    fail("code", fmt::format("has {} bytes ({} bits) but the index holds {}-bit codes ({} bytes)",
                             bytes.size(), bytes.size() * 8, bits, bits / 8));
  CodeMatrix code(bits);
  code.append_bytes(bytes.data());
  return code;
}

std::string hex_of_code(CodeSpan codes, std::size_t row) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(codes.code(row));
  std::string text;
  text.reserve(codes.bits / 4);
  for (std::size_t i = 0; i < codes.bits / 8; ++i) {
    text.push_back(digits[bytes[i] >> 4]);
    text.push_back(digits[bytes[i] & 15]);
  }
  return text;
}

std::string base64_of_bytes(const std::uint8_t* bytes, std::size_t size) {
  std::string text;
  text.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t chunk = std::uint32_t(bytes[i]) << 16 | (i + 1 < size ? std::uint32_t(bytes[i + 1]) << 8 : 0) |
                                (i + 2 < size ? std::uint32_t(bytes[i + 2]) : 0);
    text.push_back(kBase64Alphabet[chunk >> 18]);
    text.push_back(kBase64Alphabet[(chunk >> 12) & 63]);
    text.push_back(i + 1 < size ? kBase64Alphabet[(chunk >> 6) & 63] : '=');
    text.push_back(i + 2 < size ? kBase64Alphabet[chunk & 63] : '=');
  }
  return text;
}

}  // namespace shrewd::serve
