#pragma once

#include <string>

namespace shrewd::train {

// The empirical KL divergence of docs/method.md §4: per bit (each coordinate against a binary
// target) or joint (the K-dimensional outputs against the K-dimensional target).
enum class KlMode { PerBit, Joint };
KlMode parse_kl_mode(const std::string& name);  // "per-bit" | "joint"
std::string kl_mode_name(KlMode mode);

}  // namespace shrewd::train
