#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "shrewd/index/binary_index.hpp"
#include "shrewd/index/index_file.hpp"

namespace shrewd {

struct OpenIndexOptions {
  bool verify_checksum = true;  // CRC-32 over the whole file on open (about 1-2 GB/s)
  // mapped: the default, for commands; copied: for servers, whose index must not change (or die
  // of SIGBUS) when someone writes to or truncates the file in place (file_image.hpp)
  FileResidence residence = FileResidence::mapped;
};

// An index file opened for search. The flat scan runs in place over the file's codes, mapped or copied.
// A file flagged for multi-index hashing builds its substring tables in memory on open (over the
// codes not deleted); MultiIndexHashing then picks the flat scan by itself for query batches where
// that is faster, so results are always exactly the flat scan's.
class OpenedIndex : public BinaryIndex {
 public:
  OpenedIndex(std::unique_ptr<IndexFile> file, std::unique_ptr<BinaryIndex> searcher, std::string method);

  std::size_t size() const override { return searcher_->size(); }
  std::size_t bits() const override { return searcher_->bits(); }
  KnnResult search(CodeSpan queries, std::size_t k, const SearchOptions& options = {}) const override {
    return searcher_->search(queries, k, options);
  }
  RadiusResult range_search(CodeSpan queries, int radius, const SearchOptions& options = {}) const override {
    return searcher_->range_search(queries, radius, options);
  }

  const IndexFile& file() const { return *file_; }
  const BinaryIndex& searcher() const { return *searcher_; }
  const std::string& method() const { return method_; }  // "flat" or "multi-index hashing, m substrings"

 private:
  std::unique_ptr<IndexFile> file_;
  std::unique_ptr<BinaryIndex> searcher_;
  std::string method_;
};

std::unique_ptr<OpenedIndex> open_index(const std::filesystem::path& path, const OpenIndexOptions& options = {});

}  // namespace shrewd
