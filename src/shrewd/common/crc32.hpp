#pragma once

#include <cstddef>
#include <cstdint>

namespace shrewd {

// CRC-32 as zlib's crc32() computes it (the polynomial of gzip and PNG): crc32(crc32(0, a), b) is
// the CRC of a followed by b. Large buffers are folded with carry-less multiplication (PCLMULQDQ)
// where the CPU has it, several times faster than zlib's table-driven loop; the result is the same.
std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t bytes);

}  // namespace shrewd
