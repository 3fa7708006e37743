#include "shrewd/serve/index_holder.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "shrewd/common/error.hpp"

namespace shrewd::serve {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

std::optional<std::size_t> IndexSnapshot::position_of(std::int64_t id) const {
  if (id < 0) return std::nullopt;
  std::size_t position = std::size_t(id);
  if (!ids.empty()) {
    const auto found = std::lower_bound(id_order.begin(), id_order.end(), std::make_pair(std::uint64_t(id), std::size_t{0}));
    if (found == id_order.end() || found->first != std::uint64_t(id)) return std::nullopt;
    position = found->second;
  }
  if (position >= codes.count || !is_live(position)) return std::nullopt;
  return position;
}

IndexHolder::IndexHolder(IndexLoader loader) : loader_(std::move(loader)), current_(load(1)) {}

std::shared_ptr<const IndexSnapshot> IndexHolder::load(std::uint64_t generation) const {
  auto snapshot = std::make_shared<IndexSnapshot>();
  static_cast<LoadedIndex&>(*snapshot) = loader_();
  if (!snapshot->index) fail("index", "the loader returned no index");
  if (snapshot->codes.bits != snapshot->index->bits() || snapshot->codes.count < snapshot->index->size() ||
      (!snapshot->ids.empty() && snapshot->ids.size() != snapshot->codes.count) ||
      (!snapshot->deleted.empty() && snapshot->deleted.size() != (snapshot->codes.count + 63) / 64))
    fail(snapshot->source, "the index, its codes, ids and deletions disagree on size or code length");
  if (!snapshot->ids.empty()) {
    snapshot->id_order.reserve(snapshot->ids.size());
    for (std::size_t position = 0; position < snapshot->ids.size(); ++position)
      snapshot->id_order.emplace_back(snapshot->ids[position], position);
    std::sort(snapshot->id_order.begin(), snapshot->id_order.end());
  }
  snapshot->generation = generation;
  snapshot->loaded_at = utc_now();
  return snapshot;
}

std::shared_ptr<const IndexSnapshot> IndexHolder::current() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

std::shared_ptr<const IndexSnapshot> IndexHolder::reload() {
  std::lock_guard reloading(reload_mutex_);
  auto fresh = load(current()->generation + 1);
  std::lock_guard lock(current_mutex_);
  current_ = fresh;
  return fresh;
}

}  // namespace shrewd::serve
