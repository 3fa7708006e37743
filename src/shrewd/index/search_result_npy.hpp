#pragma once

#include <string>
#include <vector>

#include "shrewd/index/search_result.hpp"

namespace shrewd {

// A search answer as .npy files under an output prefix (what `shrewd search --out PREFIX` writes),
// each written atomically:
//   k-NN:   PREFIX.ids.npy int64 [Q, k], PREFIX.dist.npy int32 [Q, k] (-1 in empty slots)
//   radius: PREFIX.offsets.npy int64 [Q + 1], PREFIX.ids.npy int64 [H], PREFIX.dist.npy int32 [H]
// Each returns the paths it wrote, in that order.
std::vector<std::string> write_search_result_npy(const std::string& prefix, const KnnResult& result);
std::vector<std::string> write_search_result_npy(const std::string& prefix, const RadiusResult& result);

}  // namespace shrewd
