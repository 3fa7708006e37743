// Training configs (src/shrewd/train/run_config.*, LibTorch-free) as `shrewd train --config FILE
// --set ASSIGNMENT` reads them: the first part of the input is one --set assignment (none when
// empty), the second the config file. A config that is accepted must write out (config_json) and
// read back to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/train/run_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [assignment, file_text] = shrewd::fuzz::split_two(data, size);
  shrewd::fuzz::TempPath file("config.json");
  shrewd::fuzz::write_bytes(file.path(), file_text);
  std::vector<std::string> overrides;
  if (!assignment.empty()) overrides.emplace_back(assignment);
  try {
    const auto resolved = shrewd::train::resolve_config(file.path(), overrides);
    const auto written = shrewd::train::config_json(shrewd::train::parse_config(resolved));
    if (shrewd::train::config_json(shrewd::train::parse_config(written)) != written) std::abort();
  } catch (const shrewd::Error&) {
  }
  return 0;
}
