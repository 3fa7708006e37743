// Does setting OMP_WAIT_POLICY / OPENBLAS_NUM_THREADS from inside main() reach the runtimes?
// Runs 200 small parallel LibTorch operations, each followed by a 2 ms sleep of the main thread,
// and reports the CPU time the other threads burn meanwhile (spinning OpenMP workers) and the
// number of threads alive after the first BLAS call (OpenBLAS adds its own).
//   thread_environment_probe            runtimes' defaults
//   thread_environment_probe setenv     setenv() at the start of main(), then carry on
//   thread_environment_probe reexec     apply_recommended_environment(argv) (re-executes itself)
//   thread_environment_probe cmdline    set_recommended_environment() (re-executes from /proc/self/cmdline)
#include <sys/resource.h>

#include <ATen/ATen.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "shrewd/common/recommended_environment.hpp"
#include "shrewd/model/threads.hpp"

namespace {

double seconds(const rusage& usage) {
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}
double process_cpu() { rusage u; getrusage(RUSAGE_SELF, &u); return seconds(u); }
double main_thread_cpu() { rusage u; getrusage(RUSAGE_THREAD, &u); return seconds(u); }

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "default";
  if (mode == "setenv") {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
  } else if (mode == "reexec") {
    shrewd::apply_recommended_environment(argv);
  } else if (mode == "cmdline") {
    shrewd::set_recommended_environment();
  }
  shrewd::model::configure_threads(2);
  auto a = at::rand({512, 512}), b = at::rand({512, 512});
  auto product = at::mm(a, b);
  int threads = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) threads += task.exists();
  auto data = at::rand({200'000});
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu(), main0 = main_thread_cpu();
  for (int i = 0; i < 200; ++i) {
    data.mul_(1.0000001);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double others = (process_cpu() - cpu0) - (main_thread_cpu() - main0);
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  std::cout << mode << ": OMP_WAIT_POLICY=" << (policy ? policy : "(unset)") << ", threads after first BLAS call "
            << threads << ", other threads' CPU " << int(1000 * others) << " ms during " << int(1000 * wall)
            << " ms wall (ideal ~400 ms)\n";
}
