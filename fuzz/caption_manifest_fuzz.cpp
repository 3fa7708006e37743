// Caption manifests (src/shrewd/formats/caption_manifest.*) and label files (label_file.*): the
// input is split into the manifest TSV and its embeddings .npy (the first two bytes give the length
// of the TSV); the TSV is also read as a label file.
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/formats/caption_manifest.hpp"
#include "shrewd/formats/label_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [manifest, embeddings] = shrewd::fuzz::split_two(data, size);
  shrewd::fuzz::TempPath dir("manifest");
  std::filesystem::create_directory(dir.path());
  shrewd::fuzz::write_bytes(dir.path() / "captions.tsv", manifest);
  shrewd::fuzz::write_bytes(dir.path() / "embeddings.npy", embeddings);
  try {
    (void)shrewd::formats::read_caption_manifest(dir.path() / "captions.tsv", dir.path() / "embeddings.npy");
  } catch (const shrewd::Error&) {
  }
  try {
    (void)shrewd::formats::read_label_file(dir.path() / "captions.tsv");
  } catch (const shrewd::Error&) {
  }
  return 0;
}
