// WordNet files (src/shrewd/semantics/wordnet.*): the input is split into data.noun and index.noun
// (the first two bytes give the length of data.noun), written to a temporary folder and loaded.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/semantics/wordnet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [data_noun, index_noun] = shrewd::fuzz::split_two(data, size);
  shrewd::fuzz::TempPath dir("wordnet");
  std::filesystem::create_directory(dir.path());
  shrewd::fuzz::write_bytes(dir.path() / "data.noun", data_noun);
  shrewd::fuzz::write_bytes(dir.path() / "index.noun", index_noun);
  try {
    const auto wordnet = shrewd::semantics::WordNet::load(dir.path());
    (void)wordnet.synset_count();
    for (const char* name : {"entity", "dog", "dog.n.01", "00001740", "n00001740"}) {
      try {
        const auto& synset = wordnet.resolve(name);
        (void)wordnet.sense_name(synset);
      } catch (const shrewd::Error&) {
      }
    }
    (void)wordnet.suggest_lemmas("dgo", 3);
  } catch (const shrewd::Error&) {
  }
  return 0;
}
