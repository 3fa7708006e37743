// AVX2 path: popcount of 32 bytes at a time through a nibble lookup table (vpshufb), summed per
// 64-bit word with vpsadbw. Compiled with -mavx2 -mpopcnt.
#include "shrewd/codes/hamming_kernels.hpp"

#if defined(__AVX2__)

#include <immintrin.h>

#include <algorithm>

namespace shrewd::detail {
namespace {

// Bit counts of each 64-bit lane of v.
inline __m256i popcount_words(__m256i v) {
  const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,  //
                                         0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low_nibble = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, low_nibble);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low_nibble);
  const __m256i bytes = _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
  return _mm256_sad_epu8(bytes, _mm256_setzero_si256());
}

inline __m256i load(const std::uint64_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// Distances of the 4 codes starting at `codes` to the query, in order, one per 64-bit lane.
template <std::size_t Words>
struct Four;

template <>
struct Four<1> {
  __m256i q;
  explicit Four(const std::uint64_t* query) : q(_mm256_set1_epi64x(std::int64_t(query[0]))) {}
  __m256i operator()(const std::uint64_t* c) const { return popcount_words(_mm256_xor_si256(load(c), q)); }
};

template <>
struct Four<2> {
  __m256i q;
  explicit Four(const std::uint64_t* query)
      : q(_mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(query)))) {}
  __m256i operator()(const std::uint64_t* c) const {
    const __m256i a = popcount_words(_mm256_xor_si256(load(c), q));      // codes 0, 1
    const __m256i b = popcount_words(_mm256_xor_si256(load(c + 4), q));  // codes 2, 3
    const __m256i sum = _mm256_add_epi64(_mm256_unpacklo_epi64(a, b), _mm256_unpackhi_epi64(a, b));  // d0 d2 d1 d3
    return _mm256_permute4x64_epi64(sum, _MM_SHUFFLE(3, 1, 2, 0));
  }
};

template <>
struct Four<4> {
  __m256i q;
  explicit Four(const std::uint64_t* query) : q(load(query)) {}
  __m256i operator()(const std::uint64_t* c) const {
    const __m256i s0 = popcount_words(_mm256_xor_si256(load(c), q));
    const __m256i s1 = popcount_words(_mm256_xor_si256(load(c + 4), q));
    const __m256i s2 = popcount_words(_mm256_xor_si256(load(c + 8), q));
    const __m256i s3 = popcount_words(_mm256_xor_si256(load(c + 12), q));
    // a = [s0 w01, s1 w01 | s0 w23, s1 w23], b likewise for codes 2, 3.
    const __m256i a = _mm256_add_epi64(_mm256_unpacklo_epi64(s0, s1), _mm256_unpackhi_epi64(s0, s1));
    const __m256i b = _mm256_add_epi64(_mm256_unpacklo_epi64(s2, s3), _mm256_unpackhi_epi64(s2, s3));
    return _mm256_add_epi64(_mm256_permute2x128_si256(a, b, 0x20), _mm256_permute2x128_si256(a, b, 0x31));
  }
};

// Any word count: one code at a time, 4 words per masked load.
inline int distance_any(const std::uint64_t* q, const std::uint64_t* c, std::size_t words) {
  __m256i acc = _mm256_setzero_si256();
  for (std::size_t w = 0; w < words; w += 4) {
    const std::size_t n = std::min<std::size_t>(4, words - w);
    const __m256i m = _mm256_cmpgt_epi64(_mm256_set1_epi64x(std::int64_t(n)), _mm256_setr_epi64x(0, 1, 2, 3));
    const auto* qp = reinterpret_cast<const long long*>(q + w);
    const auto* cp = reinterpret_cast<const long long*>(c + w);
    const __m256i x = _mm256_xor_si256(_mm256_maskload_epi64(qp, m), _mm256_maskload_epi64(cp, m));
    acc = _mm256_add_epi64(acc, popcount_words(x));
  }
  const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  return int(_mm_cvtsi128_si64(half) + _mm_extract_epi64(half, 1));
}

template <std::size_t Words>
void distances(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t,
               std::uint16_t* out) {
  const Four<Words> four(query);
  alignas(32) std::uint64_t lanes[4];
  std::size_t i = 0;
  for (; i + 4 <= count; i += 4) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), four(codes + i * Words));
    for (int l = 0; l < 4; ++l) out[i + l] = std::uint16_t(lanes[l]);
  }
  for (; i < count; ++i) out[i] = std::uint16_t(scalar_distance(query, codes + i * Words, Words));
}

inline int hit_mask(__m256i d, __m256i limit_plus_one) {
  return _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(limit_plus_one, d)));
}

inline void emit(int hits, __m256i d, std::size_t first, std::uint32_t* positions, std::uint16_t* dists,
                 std::size_t& found) {
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), d);
  while (hits) {
    const int lane = __builtin_ctz(unsigned(hits));
    hits &= hits - 1;
    positions[found] = std::uint32_t(first + lane);
    dists[found] = std::uint16_t(lanes[lane]);
    ++found;
  }
}

template <std::size_t Words>
HammingScan within(const std::uint64_t* query, const std::uint64_t* codes, std::size_t count, std::size_t,
                   int max_distance, std::uint32_t* positions, std::uint16_t* dists, std::size_t capacity) {
  static_assert(kHammingBatch % 16 == 0);
  const Four<Words> four(query);
  const __m256i limit = _mm256_set1_epi64x(std::int64_t(max_distance) + 1);
  std::size_t i = 0, found = 0;
  while (i + kHammingBatch <= count && capacity - found >= kHammingBatch) {
    for (std::size_t end = i + kHammingBatch; i < end; i += 16) {
      const std::uint64_t* c = codes + i * Words;
      const __m256i d0 = four(c), d1 = four(c + 4 * Words), d2 = four(c + 8 * Words), d3 = four(c + 12 * Words);
      const int m0 = hit_mask(d0, limit), m1 = hit_mask(d1, limit), m2 = hit_mask(d2, limit),
                m3 = hit_mask(d3, limit);
      if ((m0 | m1 | m2 | m3) == 0) continue;
      emit(m0, d0, i, positions, dists, found);
      emit(m1, d1, i + 4, positions, dists, found);
      emit(m2, d2, i + 8, positions, dists, found);
      emit(m3, d3, i + 12, positions, dists, found);
    }
  }
  if (i + kHammingBatch > count && i < count && capacity - found >= kHammingBatch) {  // the last, partial batch
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

const HammingKernelTable* avx2_kernels() {
  static const HammingKernelTable table{distances_any, within_any};
  return &table;
}

}  // namespace shrewd::detail

#else

namespace shrewd::detail {
const HammingKernelTable* avx2_kernels() { return nullptr; }
}  // namespace shrewd::detail

#endif
