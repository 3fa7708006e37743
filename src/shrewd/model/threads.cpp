#include "shrewd/model/threads.hpp"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include <thread>

namespace shrewd::model {

void configure_threads(int threads) {
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  if (at::get_num_interop_threads() != 1) {
    try {
      at::set_num_interop_threads(1);
    } catch (const c10::Error&) {
      // The inter-op pool can be sized only before its first use; it then keeps its size.
    }
  }
}

}  // namespace shrewd::model
