#include "shrewd/common/recommended_environment.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd {

bool set_recommended_environment_variables() {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr && std::getenv("OPENBLAS_NUM_THREADS") != nullptr) return false;
  setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/0);
  return true;
}

void apply_recommended_environment(char** argv) {
  if (argv == nullptr || argv[0] == nullptr) return;
  if (std::getenv("SHREWD_ENV_APPLIED") != nullptr) return;
  if (!set_recommended_environment_variables()) return;
  setenv("SHREWD_ENV_APPLIED", "1", /*overwrite=*/1);
  execv("/proc/self/exe", argv);
  // exec failed (no /proc): go on with the runtimes' defaults.
}

void set_recommended_environment() {
  std::string all;
  try {
    all = read_file("/proc/self/cmdline", "the command line");
  } catch (const Error&) {
    return;  // no /proc: go on with the runtimes' defaults
  }
  std::vector<std::string> arguments;
  for (std::size_t begin = 0; begin < all.size();) {
    const auto end = all.find('\0', begin);
    arguments.push_back(all.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  apply_recommended_environment(argv.data());
}

}  // namespace shrewd
