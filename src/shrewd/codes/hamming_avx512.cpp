// AVX-512 path: XOR + VPOPCNTQ on 8 words per instruction. Compiled with -mavx512f -mavx512vpopcntdq.
#include "shrewd/codes/hamming_kernel_loops.hpp"

#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)

// GCC 12 warns about its own _mm512_undefined_* inside avx512fintrin.h (a known false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace shrewd::detail {
namespace {

// Distances of the 8 codes starting at `codes` to the query, in order, one per 64-bit lane.
// Specialised for 1, 2 and 4 words per code: the codes of one batch are loaded as whole vectors
// and the per-word counts are summed across lanes with unpack/shuffle, never per code.
template <std::size_t Words>
struct Eight;

// What every Eight<Words> shares: hamming_kernel_loops.hpp's Block interface on 8 lanes of 64 bits.
struct EightLanes {
  static constexpr std::size_t kCodes = 8;
  static __m512i limit(int max_distance) { return _mm512_set1_epi64(max_distance); }
  static unsigned hits(__m512i d, __m512i limit) { return _mm512_cmple_epi64_mask(d, limit); }
  static void store(__m512i d, std::uint64_t* lanes) { _mm512_storeu_si512(lanes, d); }
  static void store(__m512i d, std::uint16_t* out) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm512_cvtepi64_epi16(d));
  }
};

template <>
struct Eight<1> : EightLanes {
  __m512i q;
  explicit Eight(const std::uint64_t* query) : q(_mm512_set1_epi64(std::int64_t(query[0]))) {}
  __m512i operator()(const std::uint64_t* c) const {
    return _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c), q));
  }
};

template <>
struct Eight<2> : EightLanes {
  __m512i q;
  __m512i order = _mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7);
  explicit Eight(const std::uint64_t* query)
      : q(_mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(query)))) {}
  __m512i operator()(const std::uint64_t* c) const {
    const __m512i a = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c), q));      // codes 0..3
    const __m512i b = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c + 8), q));  // codes 4..7
    // 128-bit lane l of the sum holds [d(l), d(4 + l)].
    const __m512i sum = _mm512_add_epi64(_mm512_unpacklo_epi64(a, b), _mm512_unpackhi_epi64(a, b));
    return _mm512_permutexvar_epi64(order, sum);
  }
};

template <>
struct Eight<4> : EightLanes {
  __m512i q;
  __m512i order = _mm512_setr_epi64(0, 2, 1, 3, 4, 6, 5, 7);
  explicit Eight(const std::uint64_t* query)
      : q(_mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(query)))) {}
  __m512i operator()(const std::uint64_t* c) const {
    const __m512i p0 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c), q));  // codes 0, 1
    const __m512i p1 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c + 8), q));
    const __m512i p2 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c + 16), q));
    const __m512i p3 = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c + 24), q));
    // Pairs of words: lanes of s01 are [c0 w01, c2 w01], [c0 w23, c2 w23], [c1 w01, c3 w01], [c1 w23, c3 w23].
    const __m512i s01 = _mm512_add_epi64(_mm512_unpacklo_epi64(p0, p1), _mm512_unpackhi_epi64(p0, p1));
    const __m512i s23 = _mm512_add_epi64(_mm512_unpacklo_epi64(p2, p3), _mm512_unpackhi_epi64(p2, p3));
    // Lanes of the sum: [c0, c2], [c1, c3], [c4, c6], [c5, c7].
    const __m512i sum = _mm512_add_epi64(_mm512_shuffle_i64x2(s01, s23, _MM_SHUFFLE(2, 0, 2, 0)),
                                         _mm512_shuffle_i64x2(s01, s23, _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm512_permutexvar_epi64(order, sum);
  }
};

// Any word count: one code at a time, 8 words per masked load.
inline int distance_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t words) {
  __m512i acc = _mm512_setzero_si512();
  for (std::size_t w = 0; w < words; w += 8) {
    const __mmask8 m = words - w >= 8 ? __mmask8(0xff) : __mmask8((1u << (words - w)) - 1);
    const __m512i x = _mm512_xor_si512(_mm512_maskz_loadu_epi64(m, q + w), _mm512_maskz_loadu_epi64(m, c + w));
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(x));
  }
  return int(_mm512_reduce_add_epi64(acc));
}

}  // namespace

const HammingKernelTable* avx512_kernels() {
  return &BlockKernels<Eight, distance_any>::table;
}

}  // namespace shrewd::detail

#pragma GCC diagnostic pop

#else

namespace shrewd::detail {
const HammingKernelTable* avx512_kernels() { return nullptr; }
}  // namespace shrewd::detail

#endif
