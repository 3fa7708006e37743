#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/semantics/hierarchy.hpp"

namespace shrewd::serve {

// Names for people of a hierarchy's nodes that are WordNet ids ("n03051540" -> "clothing.n.01"),
// looked up in the WordNet database at `wordnet_directory`; "" for every other node. The database
// is read only when some node is such an id.
std::vector<std::string> wordnet_node_names(const semantics::Hierarchy& hierarchy,
                                            const std::filesystem::path& wordnet_directory);

}  // namespace shrewd::serve
