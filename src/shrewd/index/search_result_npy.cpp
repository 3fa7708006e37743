#include "shrewd/index/search_result_npy.hpp"

#include "shrewd/common/npy.hpp"

namespace shrewd {

std::vector<std::string> write_search_result_npy(const std::string& prefix, const KnnResult& result) {
  const std::vector<std::string> paths = {prefix + ".ids.npy", prefix + ".dist.npy"};
  write_npy<std::int64_t>(paths[0], result.ids, {result.queries, result.k});
  write_npy<std::int32_t>(paths[1], result.distances, {result.queries, result.k});
  return paths;
}

std::vector<std::string> write_search_result_npy(const std::string& prefix, const RadiusResult& result) {
  const std::vector<std::string> paths = {prefix + ".offsets.npy", prefix + ".ids.npy", prefix + ".dist.npy"};
  write_npy<std::int64_t>(paths[0], result.offsets, {result.offsets.size()});
  write_npy<std::int64_t>(paths[1], result.ids, {result.ids.size()});
  write_npy<std::int32_t>(paths[2], result.distances, {result.distances.size()});
  return paths;
}

}  // namespace shrewd
