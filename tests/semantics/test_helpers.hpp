#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "support/error_of.hpp"

namespace shrewd::semantics::testing {

inline const std::filesystem::path system_wordnet = "/usr/share/wordnet";

inline bool have_system_wordnet() { return std::filesystem::exists(system_wordnet / "data.noun"); }

using shrewd::testing::error_of;

}  // namespace shrewd::semantics::testing

#include <cstdio>
#include <map>
#include <vector>

#include "support/temp_dir.hpp"

namespace shrewd::semantics::testing {

// One synset of a hand-made WordNet: its (single) lemma, hypernyms and instance hypernyms by lemma.
struct MiniSynset {
  std::string lemma;
  std::vector<std::string> hypernyms;
  std::vector<std::string> instance_hypernyms = {};
};

// Writes data.noun and index.noun in wndb format into `directory`. The first synset lands at byte
// 1740, the offset of entity.n.01 in WordNet 3.0; offsets grow in list order. Returns lemma -> offset.
inline std::map<std::string, unsigned> write_mini_wordnet(const std::filesystem::path& directory,
                                                          const std::vector<MiniSynset>& synsets) {
  const std::string header = "  " + std::string(1737, 'x') + "\n";  // 1740 bytes
  auto line_of = [](const MiniSynset& s, unsigned offset, const std::map<std::string, unsigned>& offsets) {
    auto find = [&](const std::string& lemma) { return offsets.count(lemma) ? offsets.at(lemma) : 0u; };
    char head[64];
    std::snprintf(head, sizeof head, "%08u 03 n 01 ", offset);
    std::string line = head + s.lemma + " 0 ";
    char count[8];
    std::snprintf(count, sizeof count, "%03zu", s.hypernyms.size() + s.instance_hypernyms.size());
    line += count;
    for (const auto& [symbol, list] : {std::pair{"@", s.hypernyms}, std::pair{"@i", s.instance_hypernyms}})
      for (const auto& parent : list) {
        char pointer[40];
        std::snprintf(pointer, sizeof pointer, " %s %08u n 0000", symbol, find(parent));
        line += pointer;
      }
    return line + " | the gloss of " + s.lemma + "  \n";
  };
  // Line lengths do not depend on the offset values (always 8 digits): place first, then fill in.
  std::map<std::string, unsigned> offsets;
  unsigned position = static_cast<unsigned>(header.size());
  for (const auto& s : synsets) {
    offsets[s.lemma] = position;
    position += static_cast<unsigned>(line_of(s, position, {}).size());
  }
  std::string data = header;
  std::string index = "  index header line\n";
  for (const auto& s : synsets) {
    data += line_of(s, offsets[s.lemma], offsets);
    char entry[64];
    std::snprintf(entry, sizeof entry, " n 1 0 1 0 %08u  \n", offsets[s.lemma]);
    index += s.lemma + entry;
  }
  std::filesystem::create_directories(directory);
  shrewd::testing::write_bytes(directory / "data.noun", data);
  shrewd::testing::write_bytes(directory / "index.noun", index);
  return offsets;
}

}  // namespace shrewd::semantics::testing
