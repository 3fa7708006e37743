#pragma once

#include <string>
#include <vector>

namespace shrewd::train {

// The training objectives by name (the config key loss.method): the method of docs/method.md §6,
// "shrewd", and the baselines of §7: "classifier", "dpsh", "hashnet", "csq", "greedyhash".
const std::vector<std::string>& hashing_methods();

// An Error naming "config loss.method" and listing the known methods unless `method` is one.
void check_hashing_method(const std::string& method);

}  // namespace shrewd::train
