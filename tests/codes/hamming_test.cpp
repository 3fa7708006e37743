#include "shrewd/codes/hamming.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "shrewd/codes/synthetic_codes.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

int reference_distance(CodeSpan codes, std::size_t i, CodeSpan queries, std::size_t q) {
  int d = 0;
  for (std::size_t j = 0; j < codes.bits; ++j) d += codes.bit(i, j) != queries.bit(q, j);
  return d;
}

// Codes that stress the kernels: all zeros, all ones, alternating bits, single bits, random.
CodeMatrix edge_codes(std::size_t bits, std::size_t n, std::mt19937_64& rng) {
  CodeMatrix codes = random_codes(bits, n, rng);
  for (std::size_t i = 0; i < n && i < 4; ++i)
    for (std::size_t j = 0; j < bits; ++j) codes.set_bit(i, j, i == 1 || (i == 2 && j % 2 == 0) || (i == 3 && j == bits - 1));
  for (std::size_t i = 4; i < n && i < 8; ++i)
    for (std::size_t j = 0; j < bits; ++j) codes.set_bit(i, j, false);
  return codes;
}

std::vector<HammingKernel> available_kernels() {
  std::vector<HammingKernel> kernels;
  for (HammingKernel k : {HammingKernel::Scalar, HammingKernel::Avx2, HammingKernel::Avx512})
    if (kernel_available(k)) kernels.push_back(k);
  return kernels;
}

class KernelRestorer {
 public:
  KernelRestorer() : saved_(active_kernel()) {}
  ~KernelRestorer() { force_kernel(saved_); }

 private:
  HammingKernel saved_;
};

TEST(Hamming, ScalarPathIsAlwaysAvailableAndBestIsActiveByDefault) {
  EXPECT_TRUE(kernel_available(HammingKernel::Scalar));
  EXPECT_TRUE(kernel_available(best_kernel()));
}

TEST(Hamming, KernelNamesRoundTripAndUnknownNamesFail) {
  for (HammingKernel k : {HammingKernel::Scalar, HammingKernel::Avx2, HammingKernel::Avx512})
    EXPECT_EQ(parse_kernel_name(kernel_name(k)), k);
  EXPECT_THROW(parse_kernel_name("sse9"), Error);
}

TEST(Hamming, ForcingAnUnavailableKernelFails) {
  KernelRestorer restore;
  for (HammingKernel k : {HammingKernel::Avx2, HammingKernel::Avx512}) {
    if (!kernel_available(k)) EXPECT_THROW(force_kernel(k), Error);
    else EXPECT_NO_THROW(force_kernel(k));
  }
}

TEST(Hamming, PairDistanceMatchesBitwiseReference) {
  std::mt19937_64 rng(1);
  for (std::size_t bits = 8; bits <= 1024; bits += 8) {
    CodeMatrix codes = edge_codes(bits, 10, rng);
    for (std::size_t a = 0; a < codes.size(); ++a)
      for (std::size_t b = 0; b < codes.size(); ++b)
        ASSERT_EQ(hamming_distance(codes.code(a), codes.code(b), codes.words_per_code()),
                  reference_distance(codes, a, codes, b));
  }
}

// Every available path, every code length, counts that leave partial batches.
TEST(Hamming, EveryKernelComputesReferenceDistancesForAllLengths) {
  KernelRestorer restore;
  std::mt19937_64 rng(2);
  for (std::size_t bits = 8; bits <= 1024; bits += 8) {
    const std::size_t n = 37 + bits % 64;
    CodeMatrix codes = edge_codes(bits, n, rng);
    CodeMatrix queries = edge_codes(bits, 3, rng);
    for (HammingKernel kernel : available_kernels()) {
      force_kernel(kernel);
      for (std::size_t q = 0; q < queries.size(); ++q) {
        std::vector<std::uint16_t> out(n, 9999);
        hamming_distances(queries.code(q), codes, out.data());
        for (std::size_t i = 0; i < n; ++i)
          ASSERT_EQ(out[i], reference_distance(codes, i, queries, q))
              << kernel_name(kernel) << " K=" << bits << " code " << i;
      }
    }
  }
}

// hamming_within must report exactly the codes within the limit, in order, across restarts when
// the output fills up.
void check_within(CodeSpan codes, const std::uint64_t* query, CodeSpan queries, std::size_t q, int limit,
                  std::size_t capacity, const std::string& what) {
  std::vector<std::uint32_t> expected;
  for (std::size_t i = 0; i < codes.count; ++i)
    if (reference_distance(codes, i, queries, q) <= limit) expected.push_back(std::uint32_t(i));

  std::vector<std::uint32_t> got;
  std::vector<std::uint32_t> positions(capacity);
  std::vector<std::uint16_t> dists(capacity);
  std::size_t start = 0;
  while (start < codes.count) {
    const HammingScan scan =
        hamming_within(query, codes.rows(start, codes.count - start), limit, positions.data(), dists.data(), capacity);
    ASSERT_GT(scan.scanned, 0u) << what;
    ASSERT_LE(scan.found, capacity) << what;
    for (std::size_t h = 0; h < scan.found; ++h) {
      const std::size_t i = start + positions[h];
      ASSERT_LT(positions[h], scan.scanned) << what;
      ASSERT_EQ(dists[h], reference_distance(codes, i, queries, q)) << what;
      got.push_back(std::uint32_t(i));
    }
    start += scan.scanned;
  }
  ASSERT_EQ(got, expected) << what;
}

TEST(Hamming, EveryKernelFindsExactlyTheCodesWithinTheLimit) {
  KernelRestorer restore;
  std::mt19937_64 rng(3);
  for (std::size_t bits : {8, 16, 56, 64, 72, 120, 128, 136, 192, 256, 264, 512, 1024}) {
    const std::size_t n = 203;
    CodeMatrix codes = edge_codes(bits, n, rng);
    CodeMatrix queries = edge_codes(bits, 2, rng);
    for (HammingKernel kernel : available_kernels()) {
      force_kernel(kernel);
      for (std::size_t q = 0; q < queries.size(); ++q)
        for (int limit : {-1, 0, int(bits) / 2 - 3, int(bits) / 2, int(bits) - 1, int(bits)})
          for (std::size_t capacity : {kHammingBatch, kHammingBatch + 5, std::size_t{1000}})
            check_within(codes, queries.code(q), queries, q, limit, capacity,
                         kernel_name(kernel) + " K=" + std::to_string(bits) + " limit=" + std::to_string(limit) +
                             " capacity=" + std::to_string(capacity));
    }
  }
}

TEST(Hamming, WithinStopsBeforeOverflowingTheOutput) {
  KernelRestorer restore;
  std::mt19937_64 rng(4);
  CodeMatrix codes = random_codes(64, 500, rng);
  for (HammingKernel kernel : available_kernels()) {
    force_kernel(kernel);
    std::vector<std::uint32_t> positions(kHammingBatch);
    std::vector<std::uint16_t> dists(kHammingBatch);
    const HammingScan scan = hamming_within(codes.code(0), codes, 64, positions.data(), dists.data(), kHammingBatch);
    EXPECT_EQ(scan.found, scan.scanned) << kernel_name(kernel);  // every code is within 64 bits
    EXPECT_LE(scan.found, kHammingBatch) << kernel_name(kernel);
    EXPECT_GT(scan.found, 0u) << kernel_name(kernel);
    const HammingScan none = hamming_within(codes.code(0), codes, 64, positions.data(), dists.data(), kHammingBatch - 1);
    EXPECT_EQ(none.scanned, 0u) << kernel_name(kernel);
  }
}

TEST(Hamming, EmptyCodeSetScansNothing) {
  std::uint64_t query = 0;
  std::uint32_t pos[kHammingBatch];
  std::uint16_t d[kHammingBatch];
  const HammingScan scan = hamming_within(&query, CodeSpan{&query, 0, 64}, 64, pos, d, kHammingBatch);
  EXPECT_EQ(scan.scanned, 0u);
  EXPECT_EQ(scan.found, 0u);
}

}  // namespace
}  // namespace shrewd
