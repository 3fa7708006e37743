// Plot specs (src/shrewd/eval/plot_spec.*), the JSON that `shrewd plot` and the experiment report
// read: the input is parsed as JSON as `shrewd plot` does, then rendered.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shrewd/common/error.hpp"
#include "shrewd/eval/plot_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json spec = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded()) return 0;
  try {
    (void)shrewd::eval::render_plot_spec(spec, "fuzz.json");
  } catch (const shrewd::Error&) {
  }
  return 0;
}
