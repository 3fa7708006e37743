#include "shrewd/index/open_index.hpp"

#include <fmt/format.h>

#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/multi_index.hpp"
#include "shrewd/index/substring_table_file.hpp"

namespace shrewd {

OpenedIndex::OpenedIndex(std::unique_ptr<IndexFile> file, std::unique_ptr<BinaryIndex> searcher, std::string method)
    : file_(std::move(file)), searcher_(std::move(searcher)), method_(std::move(method)) {}

std::unique_ptr<OpenedIndex> open_index(const std::filesystem::path& path, const OpenIndexOptions& options) {
  auto file = std::make_unique<IndexFile>(path, options.verify_checksum, options.residence);
  if (!file->multi_index()) {
    auto flat = std::make_unique<FlatIndex>(file->codes(), file->ids(), file->deleted_bitmap());
    return std::make_unique<OpenedIndex>(std::move(file), std::move(flat), "flat");
  }
  // Multi-index hashing searches the file's codes and stored tables in place (a version 1 file builds
  // its tables); with deletions, it builds tables over a copy of the live codes.
  std::unique_ptr<MultiIndexHashing> mih;
  if (file->deleted() == 0) {
    std::vector<SubstringTable> tables;
    if (!file->table_section().empty())
      tables = read_substring_table_section(
          file->table_section(), file->codes(),
          SubstringLayout::for_codes(file->bits(), file->count(), file->substrings()), path.string());
    mih = MultiIndexHashing::borrowing(file->codes(), file->ids(), file->substrings(), std::move(tables));
  } else {
    CodeMatrix live(file->bits());
    live.reserve(file->live());
    std::vector<std::uint64_t> live_ids;
    live_ids.reserve(file->live());
    for (std::size_t i = 0; i < file->count(); ++i)
      if (!file->is_deleted(i)) {
        live.append(file->codes().rows(i, 1));
        live_ids.push_back(file->ids()[i]);
      }
    mih = std::make_unique<MultiIndexHashing>(live.span(), live_ids, file->substrings());
  }
  std::string method = fmt::format("multi-index hashing, {} substrings", mih->substrings());
  return std::make_unique<OpenedIndex>(std::move(file), std::move(mih), std::move(method));
}

}  // namespace shrewd
