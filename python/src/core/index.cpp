// shrewd.Index: flat and multi-index hashing search from Python, faiss's conventions
// (search -> (distances, ids), range_search -> (lims, distances, ids), remove_ids), over the same
// index files (.shx) as `shrewd index` and `shrewd search`.
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <type_traits>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/index_contents.hpp"

namespace shrewd::python {

namespace {

// An IndexContents shared between Python threads: searches run without the GIL and side by side
// (shared lock); changes wait for them (exclusive lock) and drop the cached searcher.
class Index {
 public:
  Index(std::size_t bits, bool multi_index, std::size_t substrings, int threads)
      : contents_(bits, {multi_index, substrings}), threads_(threads) {}
  explicit Index(IndexContents contents, int threads) : contents_(std::move(contents)), threads_(threads) {}

  static std::unique_ptr<Index> read(const std::filesystem::path& path, int threads) {
    return std::make_unique<Index>(IndexContents::read(path), threads);
  }

  void write(const std::filesystem::path& path) {
    py::gil_scoped_release release;
    std::shared_lock lock(mutex_);
    contents_.write(path);
  }

  std::size_t bits() const { return contents_.bits(); }
  std::size_t live() const { return contents_.live(); }
  std::size_t stored() const { return contents_.stored(); }
  std::size_t deleted() const { return contents_.deleted(); }
  bool multi_index() const { return contents_.options().multi_index; }
  std::size_t substrings() const { return contents_.options().substrings; }
  int threads() const { return threads_; }
  void set_threads(int threads) { threads_ = threads; }

  py::array_t<std::int64_t> add(const py::object& codes, const py::object& ids) {
    const CodesArgument given(codes, "codes");
    std::vector<std::uint64_t> id_values;
    if (!ids.is_none()) {
      id_values = ids_argument(ids, "ids");
      if (id_values.size() != given.span().count)
        fail("ids", fmt::format("has {} ids but codes has {} codes", id_values.size(), given.span().count));
    }
    std::vector<std::uint64_t> assigned;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex_);
      assigned = contents_.append(given.span(), id_values, "codes");
      searcher_.reset();
    }
    const auto n = py::ssize_t(assigned.size());
    return move_to_numpy(std::vector<std::int64_t>(assigned.begin(), assigned.end()), {n});
  }

  std::size_t remove_ids(const py::object& ids) {
    const auto id_values = ids_argument(ids, "ids");
    py::gil_scoped_release release;
    std::unique_lock lock(mutex_);
    const std::size_t removed = contents_.remove(id_values, "ids");
    searcher_.reset();
    return removed;
  }

  std::size_t compact() {
    py::gil_scoped_release release;
    std::unique_lock lock(mutex_);
    const std::size_t removed = contents_.compact();
    searcher_.reset();
    return removed;
  }

  py::array_t<std::int64_t> ids() {
    std::vector<std::uint64_t> live;
    {
      std::shared_lock lock(mutex_);
      live = contents_.live_ids();
    }
    const auto n = py::ssize_t(live.size());
    return move_to_numpy(std::vector<std::int64_t>(live.begin(), live.end()), {n});
  }

  py::tuple search(const py::object& queries, std::int64_t k, std::optional<int> threads) {
    if (k < 1) fail("k", fmt::format("must be at least 1, found {}", k));
    const CodesArgument given(queries, "queries");
    given.require_bits(bits(), "the index holds");
    const SearchOptions options{threads.value_or(threads_)};
    KnnResult result = with_searcher(
        [&](const BinaryIndex& searcher) { return searcher.search(given.span(), std::size_t(k), options); });
    const std::vector<py::ssize_t> shape{py::ssize_t(result.queries), py::ssize_t(result.k)};
    return py::make_tuple(move_to_numpy(std::move(result.distances), shape), move_to_numpy(std::move(result.ids), shape));
  }

  py::tuple range_search(const py::object& queries, std::int64_t radius, std::optional<int> threads) {
    if (radius < 0) fail("radius", fmt::format("must be at least 0, found {}", radius));
    const CodesArgument given(queries, "queries");
    given.require_bits(bits(), "the index holds");
    const SearchOptions options{threads.value_or(threads_)};
    const int clamped = int(std::min<std::int64_t>(radius, std::int64_t(bits())));
    RadiusResult result = with_searcher(
        [&](const BinaryIndex& searcher) { return searcher.range_search(given.span(), clamped, options); });
    const auto lims = py::ssize_t(result.offsets.size()), hits = py::ssize_t(result.ids.size());
    return py::make_tuple(move_to_numpy(std::move(result.offsets), {lims}),
                          move_to_numpy(std::move(result.distances), {hits}), move_to_numpy(std::move(result.ids), {hits}));
  }

  std::string repr() const {
    return fmt::format("<shrewd.Index {} bits, {} codes ({} deleted), {}, threads={}>", bits(), live(), deleted(),
                       multi_index() ? "multi-index hashing" : "flat", threads_);
  }

 private:
  template <class Search>
  std::invoke_result_t<Search, const BinaryIndex&> with_searcher(Search search) {
    py::gil_scoped_release release;
    for (;;) {
      {
        std::shared_lock lock(mutex_);
        if (searcher_) return search(*searcher_);
      }
      std::unique_lock lock(mutex_);
      if (!searcher_) searcher_ = contents_.searcher();
    }
  }

  IndexContents contents_;
  std::unique_ptr<BinaryIndex> searcher_;
  std::shared_mutex mutex_;
  int threads_;
};

}  // namespace

void bind_index(py::module_& m) {
  py::class_<Index>(m, "Index",
                    "Exact Hamming k-NN and radius search over binary codes (docs/python.md). Build one with "
                    "IndexFlat / IndexMultiIndexHashing or read_index.")
      .def(py::init<std::size_t, bool, std::size_t, int>(), py::arg("bits"), py::arg("multi_index") = false,
           py::arg("substrings") = 0, py::arg("threads") = 1)
      .def_property_readonly("bits", &Index::bits, "K, bits per code")
      .def_property_readonly("ntotal", &Index::live, "codes searched (deleted ones excluded)")
      .def("__len__", &Index::live)
      .def_property_readonly("stored", &Index::stored, "codes stored, deleted ones included (until compact)")
      .def_property_readonly("deleted", &Index::deleted, "codes marked deleted")
      .def_property_readonly("multi_index", &Index::multi_index, "searched with multi-index hashing where faster")
      .def_property_readonly("substrings", &Index::substrings, "multi-index hashing substrings (0 = automatic)")
      .def_property("threads", &Index::threads, &Index::set_threads, "search threads (0 or less: all cores)")
      .def("add", &Index::add, py::arg("codes"), py::arg("ids") = py::none(),
           "Appends codes (uint8 packbits [N, K/8], or [N, K] bool / int8 +-1 / float32) with int64 ids "
           "(default: after the largest id stored); returns the ids given.")
      .def("remove_ids", &Index::remove_ids, py::arg("ids"),
           "Marks the codes with these ids deleted (an id not in the index is an error and nothing changes); "
           "returns how many.")
      .def("compact", &Index::compact, "Drops the deleted codes; returns how many.")
      .def("ids", &Index::ids, "The ids of the codes searched, in stored order, int64 [ntotal].")
      .def("search", &Index::search, py::arg("queries"), py::arg("k"), py::arg("threads") = py::none(),
           "The k nearest codes of each query: (distances int32 [Q, k], ids int64 [Q, k]), ordered by distance "
           "then id, -1 where fewer than k codes exist.")
      .def("range_search", &Index::range_search, py::arg("queries"), py::arg("radius"), py::arg("threads") = py::none(),
           "All codes within `radius` of each query: (lims int64 [Q + 1], distances int32, ids int64); the hits "
           "of query q are [lims[q], lims[q + 1]), ordered by distance then id.")
      .def("write", &Index::write, py::arg("path"), "Writes the index file (.shx), atomically.")
      .def_static("read", &Index::read, py::arg("path"), py::arg("threads") = 1,
                  "Reads an index file (.shx) written by shrewd or `shrewd index build`.")
      .def("__repr__", &Index::repr);
}

}  // namespace shrewd::python
