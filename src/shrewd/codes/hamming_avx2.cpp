// AVX2 path: popcount of 32 bytes at a time through a nibble lookup table (vpshufb), summed per
// 64-bit word with vpsadbw. Compiled with -mavx2 -mpopcnt.
#include "shrewd/codes/hamming_kernel_loops.hpp"

#if defined(__AVX2__)

#include <immintrin.h>

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

// What every Four<Words> shares: hamming_kernel_loops.hpp's Block interface on 4 lanes of 64 bits.
struct FourLanes {
  static constexpr std::size_t kCodes = 4;
  static __m256i limit(int max_distance) { return _mm256_set1_epi64x(std::int64_t(max_distance) + 1); }
  static unsigned hits(__m256i d, __m256i limit_plus_one) {
    return unsigned(_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(limit_plus_one, d))));
  }
  static void store(__m256i d, std::uint64_t* lanes) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes), d); }
  static void store(__m256i d, std::uint16_t* out) {
    alignas(32) std::uint64_t lanes[4];
    store(d, lanes);
    for (int l = 0; l < 4; ++l) out[l] = std::uint16_t(lanes[l]);
  }
};

// Distances of the 4 codes starting at `codes` to the query, in order, one per 64-bit lane.
template <std::size_t Words>
struct Four;

template <>
struct Four<1> : FourLanes {
  __m256i q;
  explicit Four(const std::uint64_t* query) : q(_mm256_set1_epi64x(std::int64_t(query[0]))) {}
  __m256i operator()(const std::uint64_t* c) const { return popcount_words(_mm256_xor_si256(load(c), q)); }
};

template <>
struct Four<2> : FourLanes {
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
struct Four<4> : FourLanes {
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

}  // namespace

const HammingKernelTable* avx2_kernels() {
  return &BlockKernels<Four, distance_any>::table;
}

}  // namespace shrewd::detail

#else

namespace shrewd::detail {
const HammingKernelTable* avx2_kernels() { return nullptr; }
}  // namespace shrewd::detail

#endif
