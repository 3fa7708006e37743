#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace shrewd {

// Runs body(begin, end) over [0, n) split into `threads` contiguous blocks, one std::thread per
// block (the calling thread takes the first). threads <= 0 means all hardware threads. The first
// exception thrown by any block is rethrown after all blocks finish.
template <class Body>
void parallel_for(std::size_t n, int threads, Body&& body) {
  std::size_t workers = threads > 0 ? std::size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::max<std::size_t>(1, std::min(workers, n));
  if (workers == 1) {
    if (n > 0) body(std::size_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors(workers);
  auto run_block = [&](std::size_t w) {
    try {
      body(n * w / workers, n * (w + 1) / workers);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(run_block, w);
  run_block(0);
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace shrewd
