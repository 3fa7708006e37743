#include "shrewd/serve/node_names.hpp"

#include <cstdint>
#include <optional>

#include "shrewd/semantics/wordnet.hpp"

namespace shrewd::serve {

std::vector<std::string> wordnet_node_names(const semantics::Hierarchy& hierarchy,
                                            const std::filesystem::path& wordnet_directory) {
  std::vector<std::optional<std::uint32_t>> offsets(hierarchy.size());
  bool any = false;
  for (std::size_t node = 0; node < hierarchy.size(); ++node) {
    std::uint32_t offset = 0;
    const std::string& name = hierarchy.name(node);
    if (name.starts_with('n') && semantics::WordNet::parse_id(name, offset)) {
      offsets[node] = offset;
      any = true;
    }
  }
  std::vector<std::string> names(hierarchy.size());
  if (!any) return names;
  const auto wordnet = semantics::WordNet::load(wordnet_directory);
  for (std::size_t node = 0; node < hierarchy.size(); ++node)
    if (offsets[node])
      if (const semantics::Synset* synset = wordnet.find(*offsets[node])) names[node] = wordnet.sense_name(*synset);
  return names;
}

}  // namespace shrewd::serve
