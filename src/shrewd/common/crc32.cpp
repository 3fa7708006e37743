#include "shrewd/common/crc32.hpp"

#include <zlib.h>

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace shrewd {
namespace {

std::uint32_t zlib_crc32(std::uint32_t crc, const unsigned char* data, std::size_t bytes) {
  if (bytes == 0) return crc;  // zlib treats a null buffer as "give me the initial value"
  return std::uint32_t(crc32_z(crc, data, bytes));
}

#if defined(__x86_64__)
__attribute__((target("pclmul,sse4.1"))) inline __m128i fold(__m128i x, __m128i constants, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, constants, 0x00), _mm_clmulepi64_si128(x, constants, 0x11)),
                       next);
}

inline __m128i load(const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// Folding as in Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ" (2009), for
// the bit-reflected polynomial 0x104C11DB7: four 128-bit lanes are folded 512 bits ahead, then into
// one lane, which holds a value congruent to the message so far. Its raw CRC (zlib's with the
// register starting at 0), over that lane's 16 bytes and the tail, is the CRC of the whole message.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t folded_crc32(std::uint32_t crc, const unsigned char* data,
                                                                    std::size_t bytes) {
  const __m128i fold_512 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);  // x^(4*128+32), x^(4*128-32) mod P
  const __m128i fold_128 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);  // x^(128+32), x^(128-32) mod P
  __m128i x0 = _mm_xor_si128(load(data), _mm_cvtsi32_si128(int(~crc)));
  __m128i x1 = load(data + 16), x2 = load(data + 32), x3 = load(data + 48);
  std::size_t at = 64;
  for (; at + 64 <= bytes; at += 64) {
    x0 = fold(x0, fold_512, load(data + at));
    x1 = fold(x1, fold_512, load(data + at + 16));
    x2 = fold(x2, fold_512, load(data + at + 32));
    x3 = fold(x3, fold_512, load(data + at + 48));
  }
  __m128i x = fold(fold(fold(x0, fold_128, x1), fold_128, x2), fold_128, x3);
  for (; at + 16 <= bytes; at += 16) x = fold(x, fold_128, load(data + at));
  unsigned char rest[32];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(rest), x);
  std::memcpy(rest + 16, data + at, bytes - at);
  return zlib_crc32(0xFFFFFFFFu, rest, 16 + (bytes - at));
}

bool has_pclmul() {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return has;
}
#endif

}  // namespace

std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
#if defined(__x86_64__)
  if (bytes >= 256 && has_pclmul()) return folded_crc32(crc, p, bytes);
#endif
  return zlib_crc32(crc, p, bytes);
}

}  // namespace shrewd
