#include "shrewd/train/kl_mode.hpp"

#include "shrewd/common/error.hpp"

namespace shrewd::train {

KlMode parse_kl_mode(const std::string& name) {
  if (name == "per-bit") return KlMode::PerBit;
  if (name == "joint") return KlMode::Joint;
  fail("kl mode", "unknown mode '" + name + "' (expected per-bit or joint)");
}

std::string kl_mode_name(KlMode mode) { return mode == KlMode::PerBit ? "per-bit" : "joint"; }

}  // namespace shrewd::train
