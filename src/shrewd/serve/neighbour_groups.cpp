#include "shrewd/serve/neighbour_groups.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "shrewd/codes/hamming.hpp"

namespace shrewd::serve {

namespace {

// Label (or no label) -> items, as a list with the most frequent class first.
class ClassTally {
 public:
  void add(std::optional<std::int64_t> label) { ++counts_[label ? *label : kNoLabel]; }

  std::vector<ClassCount> sorted() const {
    std::vector<ClassCount> out;
    out.reserve(counts_.size());
    for (const auto& [label, count] : counts_)
      out.push_back({label == kNoLabel ? std::nullopt : std::optional<std::int64_t>(label), count});
    std::sort(out.begin(), out.end(), [](const ClassCount& a, const ClassCount& b) {
      if (a.count != b.count) return a.count > b.count;
      return a.label.value_or(kNoLabel) < b.label.value_or(kNoLabel);
    });
    return out;
  }

 private:
  static constexpr std::int64_t kNoLabel = -1;  // labels are never negative (ItemCatalog::validate)
  std::unordered_map<std::int64_t, std::size_t> counts_;
};

}  // namespace

NeighbourGroups group_neighbours(const IndexSnapshot& snapshot, const ItemCatalog& catalog,
                                 const std::uint64_t* query, std::size_t max_codes, int max_distance,
                                 std::optional<std::int64_t> excluded) {
  const CodeSpan codes = snapshot.codes;
  const int bits = int(codes.bits);
  constexpr std::size_t kNoPosition = std::numeric_limits<std::size_t>::max();
  const std::size_t excluded_position = excluded ? snapshot.position_of(*excluded).value_or(kNoPosition) : kNoPosition;
  auto counted = [&](std::size_t position) { return snapshot.is_live(position) && position != excluded_position; };

  std::vector<std::uint16_t> distance(codes.count);
  if (codes.count > 0) hamming_distances(query, codes, distance.data());

  // Positions sorted by distance (a counting sort), each shell in position order.
  std::vector<std::size_t> shell_begin(std::size_t(bits) + 2, 0);
  for (std::size_t p = 0; p < codes.count; ++p)
    if (counted(p)) ++shell_begin[std::size_t(distance[p]) + 1];
  for (std::size_t d = 1; d < shell_begin.size(); ++d) shell_begin[d] += shell_begin[d - 1];
  std::vector<std::size_t> by_distance(shell_begin.back());
  std::vector<std::size_t> next(shell_begin.begin(), shell_begin.end() - 1);
  for (std::size_t p = 0; p < codes.count; ++p)
    if (counted(p)) by_distance[next[distance[p]]++] = p;

  NeighbourGroups groups;
  const std::size_t code_bytes = codes.words_per_code() * sizeof(std::uint64_t);
  const int last = std::min(max_distance, bits);
  for (int d = 0; d <= last && groups.codes.size() < max_codes; ++d) {
    groups.last_distance = d;
    const std::size_t begin = shell_begin[std::size_t(d)], end = shell_begin[std::size_t(d) + 1];
    if (begin == end) continue;

    DistanceShell shell{d, end - begin, {}};
    ClassTally shell_classes;
    std::vector<DistinctCode> shell_codes;
    std::vector<ClassTally> code_classes;
    std::unordered_map<std::string_view, std::size_t> code_slot;
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t p = by_distance[i];
      const std::string_view key(reinterpret_cast<const char*>(codes.code(p)), code_bytes);
      const auto [slot, inserted] = code_slot.try_emplace(key, shell_codes.size());
      const std::int64_t id = snapshot.id_at(p);
      if (inserted) {
        shell_codes.push_back({id, d, 0, {}});
        code_classes.emplace_back();
      }
      DistinctCode& code = shell_codes[slot->second];
      ++code.count;
      code.id = std::min(code.id, id);
      const auto label = catalog.label_of(id);
      code_classes[slot->second].add(label);
      shell_classes.add(label);
    }
    for (std::size_t c = 0; c < shell_codes.size(); ++c) shell_codes[c].classes = code_classes[c].sorted();
    std::sort(shell_codes.begin(), shell_codes.end(), [](const DistinctCode& a, const DistinctCode& b) {
      return a.count != b.count ? a.count > b.count : a.id < b.id;
    });
    shell.classes = shell_classes.sorted();
    groups.shells.push_back(std::move(shell));
    for (auto& code : shell_codes) groups.codes.push_back(std::move(code));
  }
  const bool items_beyond =
      groups.last_distance >= 0 && shell_begin[std::size_t(last) + 1] > shell_begin[std::size_t(groups.last_distance) + 1];
  groups.codes_cut = groups.codes.size() > max_codes || (groups.codes.size() == max_codes && items_beyond);
  if (groups.codes.size() > max_codes) groups.codes.resize(max_codes);
  return groups;
}

}  // namespace shrewd::serve
