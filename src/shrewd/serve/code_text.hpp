#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"

namespace shrewd::serve {

// A query code arrives as text: the K/8 packbits bytes of the code (most significant bit first,
// as numpy.packbits writes them) in hexadecimal or in base64. Both parsers fail with an Error
// that says what is wrong (bad character, wrong length for a K-bit index, ...).
std::vector<std::uint8_t> parse_hex_bytes(std::string_view text);
std::vector<std::uint8_t> parse_base64_bytes(std::string_view text);

// One code of `bits` bits from its packbits bytes; fails unless there are exactly bits/8 bytes.
CodeMatrix code_from_bytes(const std::vector<std::uint8_t>& bytes, std::size_t bits);

std::string hex_of_code(CodeSpan codes, std::size_t row);
std::string base64_of_bytes(const std::uint8_t* bytes, std::size_t size);

}  // namespace shrewd::serve
