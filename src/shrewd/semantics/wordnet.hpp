#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shrewd::semantics {

// One noun synset of WordNet 3.0. The views point into the WordNet object that owns them.
struct Synset {
  std::uint32_t offset = 0;                          // byte offset in data.noun: its identity
  std::span<const std::string_view> lemmas;          // as written in data.noun ("domestic_dog")
  std::string_view gloss;                            // definition and examples
  std::span<const std::uint32_t> hypernyms;          // '@' pointers
  std::span<const std::uint32_t> instance_hypernyms; // '@i' pointers
};

// The noun part of a WordNet 3.0 database (wndb(5WN) files data.noun and index.noun), read whole
// into memory and parsed once.
class WordNet {
 public:
  static constexpr std::uint32_t entity_offset = 1740;  // entity.n.01, the root of all nouns

  // Reads <directory>/data.noun and <directory>/index.noun (e.g. /usr/share/wordnet).
  static WordNet load(const std::filesystem::path& directory);

  std::size_t synset_count() const { return synsets_.size(); }
  std::size_t lemma_count() const { return lemma_names_.size(); }
  const std::filesystem::path& directory() const { return directory_; }

  // nullptr when no noun synset has this offset.
  const Synset* find(std::uint32_t offset) const;
  // Throws Error when absent.
  const Synset& synset(std::uint32_t offset) const;

  // A synset by name: a WordNet id "n02084071" (or the bare offset "02084071") or a sense name
  // "dog.n.01" (lemma, part of speech, 1-based position in index.noun's sense order; spaces in the
  // lemma may be written as spaces or underscores, case does not matter). Unknown names throw an
  // Error that suggests the closest lemmas.
  const Synset& resolve(std::string_view name) const;

  // Noun synsets of a lemma in sense order (most frequent first); empty when unknown.
  std::span<const std::uint32_t> senses(std::string_view lemma) const;

  // "dog.n.01": the synset's first lemma, lower-cased, and its sense number for that lemma.
  std::string sense_name(const Synset& synset) const;

  // Up to `count` lemmas of index.noun closest to `word` by edit distance.
  std::vector<std::string> suggest_lemmas(std::string_view word, std::size_t count) const;

  // "n02084071".
  static std::string id(std::uint32_t offset);
  // Parses "n02084071" or "02084071"; false when the text is not of that form.
  static bool parse_id(std::string_view text, std::uint32_t& offset);

 private:
  void parse_data(std::string_view text, const std::string& source);
  void parse_index(std::string_view text, const std::string& source);

  std::filesystem::path directory_;
  std::unique_ptr<std::string> data_text_;   // data.noun, viewed by lemmas and glosses
  std::unique_ptr<std::string> index_text_;  // index.noun, viewed by lemma names
  std::vector<Synset> synsets_;              // ascending offset
  std::vector<std::string_view> synset_lemmas_;
  std::vector<std::uint32_t> synset_pointers_;
  std::vector<std::string_view> lemma_names_;                     // index.noun order
  std::vector<std::uint32_t> sense_offsets_;                      // all lemmas' senses, flat
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sense_ranges_;  // per lemma: begin, count
  std::unordered_map<std::string_view, std::uint32_t> lemma_position_;
};

}  // namespace shrewd::semantics
