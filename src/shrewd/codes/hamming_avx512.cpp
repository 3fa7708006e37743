// AVX-512 path: XOR + VPOPCNTQ on 8 words per instruction. Compiled with -mavx512f -mavx512vpopcntdq.
#include "shrewd/codes/hamming_kernels.hpp"

#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)

// GCC 12 warns about its own _mm512_undefined_* inside avx512fintrin.h (a known false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>

namespace shrewd::detail {
namespace {

// Distances of the 8 codes starting at `codes` to the query, in order, one per 64-bit lane.
// Specialised for 1, 2 and 4 words per code: the codes of one batch are loaded as whole vectors
// and the per-word counts are summed across lanes with unpack/shuffle, never per code.
template <std::size_t Words>
struct Eight;

template <>
struct Eight<1> {
  __m512i q;
  explicit Eight(const std::uint64_t* query) : q(_mm512_set1_epi64(std::int64_t(query[0]))) {}
  __m512i operator()(const std::uint64_t* c) const {
    return _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(c), q));
  }
};

template <>
struct Eight<2> {
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
struct Eight<4> {
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

template <std::size_t Words>
void distances(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t,
               std::uint16_t* out) {
  const Eight<Words> eight(query);
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm512_cvtepi64_epi16(eight(codes + i * Words)));
  for (; i < count; ++i) out[i] = std::uint16_t(scalar_distance(query, codes + i * Words, Words));
}

inline void emit(__mmask8 hits, __m512i d, std::size_t first, std::uint32_t* positions, std::uint16_t* dists,
                 std::size_t& found) {
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, d);
  while (hits) {
    const int lane = __builtin_ctz(hits);
    hits &= hits - 1;
    positions[found] = std::uint32_t(first + lane);
    dists[found] = std::uint16_t(lanes[lane]);
    ++found;
  }
}

template <std::size_t Words>
HammingScan within(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t,
                   int max_distance, std::uint32_t* positions, std::uint16_t* dists, std::size_t capacity) {
  static_assert(kHammingBatch == 32);
  const Eight<Words> eight(query);
  const __m512i limit = _mm512_set1_epi64(max_distance);
  std::size_t i = 0, found = 0;
  for (; i + 32 <= count && capacity - found >= kHammingBatch; i += 32) {
    const std::uint64_t* c = codes + i * Words;
    const __m512i d0 = eight(c), d1 = eight(c + 8 * Words), d2 = eight(c + 16 * Words), d3 = eight(c + 24 * Words);
    const __mmask8 m0 = _mm512_cmple_epi64_mask(d0, limit), m1 = _mm512_cmple_epi64_mask(d1, limit);
    const __mmask8 m2 = _mm512_cmple_epi64_mask(d2, limit), m3 = _mm512_cmple_epi64_mask(d3, limit);
    if ((m0 | m1 | m2 | m3) == 0) continue;  // the common case once a search has a tight bound
    emit(m0, d0, i, positions, dists, found);
    emit(m1, d1, i + 8, positions, dists, found);
    emit(m2, d2, i + 16, positions, dists, found);
    emit(m3, d3, i + 24, positions, dists, found);
  }
  if (i + 32 > count && i < count && capacity - found >= kHammingBatch) {  // the last, partial batch
    for (; i < count; ++i) {
      const int d = scalar_distance(query, codes + i * Words, Words);
      positions[found] = std::uint32_t(i);
      dists[found] = std::uint16_t(d);
      found += d <= max_distance;
    }
  }
  return {i, found};
}

void distances_generic(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words,
                       std::uint16_t* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = std::uint16_t(distance_any(q, c + i * words, words));
}

HammingScan within_generic(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words,
                           int r, std::uint32_t* pos, std::uint16_t* dists, std::size_t capacity) {
  std::size_t i = 0, found = 0;
  while (i < n && capacity - found >= kHammingBatch) {
    const std::size_t end = std::min(n, i + kHammingBatch);
    for (; i < end; ++i) {
      const int d = distance_any(q, c + i * words, words);
      pos[found] = std::uint32_t(i);
      dists[found] = std::uint16_t(d);
      found += d <= r;
    }
  }
  return {i, found};
}

void distances_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words,
                   std::uint16_t* out) {
  switch (words) {
    case 1: return distances<1>(q, c, n, words, out);
    case 2: return distances<2>(q, c, n, words, out);
    case 4: return distances<4>(q, c, n, words, out);
    default: return distances_generic(q, c, n, words, out);
  }
}

HammingScan within_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t n, std::size_t words, int r,
                       std::uint32_t* pos, std::uint16_t* d, std::size_t cap) {
  switch (words) {
    case 1: return within<1>(q, c, n, words, r, pos, d, cap);
    case 2: return within<2>(q, c, n, words, r, pos, d, cap);
    case 4: return within<4>(q, c, n, words, r, pos, d, cap);
    default: return within_generic(q, c, n, words, r, pos, d, cap);
  }
}

}  // namespace

const HammingKernelTable* avx512_kernels() {
  static const HammingKernelTable table{distances_any, within_any};
  return &table;
}

}  // namespace shrewd::detail

#pragma GCC diagnostic pop

#else

namespace shrewd::detail {
const HammingKernelTable* avx512_kernels() { return nullptr; }
}  // namespace shrewd::detail

#endif
