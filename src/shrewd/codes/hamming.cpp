#include "shrewd/codes/hamming.hpp"

#include <atomic>
#include <cstdlib>
#include <fmt/format.h>

#include "shrewd/codes/hamming_kernels.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

const detail::HammingKernelTable* table_of(HammingKernel kernel) {
  switch (kernel) {
    case HammingKernel::Scalar: return &detail::scalar_kernels();
    case HammingKernel::Avx2: return detail::avx2_kernels();
    case HammingKernel::Avx512: return detail::avx512_kernels();
  }
  return nullptr;
}

bool cpu_supports(HammingKernel kernel) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  switch (kernel) {
    case HammingKernel::Scalar: return __builtin_cpu_supports("popcnt");
    case HammingKernel::Avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    case HammingKernel::Avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq") &&
             __builtin_cpu_supports("popcnt");
  }
  return false;
#else
  return kernel == HammingKernel::Scalar;
#endif
}

struct Active {
  std::atomic<HammingKernel> kernel;
  std::atomic<const detail::HammingKernelTable*> table;

  Active() {
    HammingKernel start = best_kernel();
    if (const char* forced = std::getenv("SHREWD_HAMMING_KERNEL"); forced && *forced) {
      start = parse_kernel_name(forced);
      if (!kernel_available(start))
        fail("SHREWD_HAMMING_KERNEL", kernel_name(start) + " is not available on this CPU");
    }
    kernel.store(start);
    table.store(table_of(start));
  }
};

Active& active() {
  static Active state;
  return state;
}

const detail::HammingKernelTable& kernels() { return *active().table.load(std::memory_order_relaxed); }

}  // namespace

std::string kernel_name(HammingKernel kernel) {
  switch (kernel) {
    case HammingKernel::Scalar: return "scalar";
    case HammingKernel::Avx2: return "avx2";
    case HammingKernel::Avx512: return "avx512";
  }
  return "unknown";
}

HammingKernel parse_kernel_name(const std::string& name) {
  for (HammingKernel k : {HammingKernel::Scalar, HammingKernel::Avx2, HammingKernel::Avx512})
    if (name == kernel_name(k)) return k;
  fail("hamming kernel", fmt::format("unknown kernel '{}' (expected scalar, avx2 or avx512)", name));
}

bool kernel_available(HammingKernel kernel) { return table_of(kernel) != nullptr && cpu_supports(kernel); }

HammingKernel best_kernel() {
  for (HammingKernel k : {HammingKernel::Avx512, HammingKernel::Avx2})
    if (kernel_available(k)) return k;
  return HammingKernel::Scalar;
}

HammingKernel active_kernel() { return active().kernel.load(); }

void force_kernel(HammingKernel kernel) {
  if (!kernel_available(kernel)) fail("hamming", kernel_name(kernel) + " is not available on this CPU");
  active().table.store(table_of(kernel));
  active().kernel.store(kernel);
}

int hamming_distance(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  return detail::scalar_distance(a, b, words);
}

void hamming_distances(const std::uint64_t* query, CodeSpan codes, std::uint16_t* out) {
  kernels().distances(query, codes.words, codes.count, codes.words_per_code(), out);
}

HammingScan hamming_within(const std::uint64_t* query, CodeSpan codes, int max_distance,
                           std::uint32_t* positions, std::uint16_t* distances, std::size_t capacity) {
  return kernels().within(query, codes.words, codes.count, codes.words_per_code(), max_distance, positions,
                          distances, capacity);
}

}  // namespace shrewd
