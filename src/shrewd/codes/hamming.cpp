#include "shrewd/codes/hamming.hpp"

#include "shrewd/common/error.hpp"

namespace shrewd {

// Provisional scalar-only implementation; the dispatching kernels replace this file.
std::string kernel_name(HammingKernel kernel) {
  switch (kernel) {
    case HammingKernel::Scalar: return "scalar";
    case HammingKernel::Avx2: return "avx2";
    case HammingKernel::Avx512: return "avx512";
  }
  return "unknown";
}
bool kernel_available(HammingKernel kernel) { return kernel == HammingKernel::Scalar; }
HammingKernel active_kernel() { return HammingKernel::Scalar; }
void force_kernel(HammingKernel kernel) {
  if (!kernel_available(kernel)) fail("hamming", kernel_name(kernel) + " is not available");
}
int hamming_distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  int d = 0;
  for (std::size_t w = 0; w < words; ++w) d += __builtin_popcountll(a[w] ^ b[w]);
  return d;
}
void hamming_distances(const std::uint64_t* query, CodeSpan codes, std::uint16_t* out) {
  for (std::size_t i = 0; i < codes.count; ++i)
    out[i] = std::uint16_t(hamming_distance(query, codes.code(i), codes.words_per_code()));
}

}  // namespace shrewd
