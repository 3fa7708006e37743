#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shrewd::semantics {

// Edit distance with insertions, deletions, substitutions and swaps of neighbouring characters
// each costing 1 (optimal string alignment), byte-wise.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The `count` candidates closest to `query` by edit distance, closest first, ties in the order of
// the candidates. Candidates further than max(3, |query|/2) edits away are not suggested.
std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t count);

}  // namespace shrewd::semantics
