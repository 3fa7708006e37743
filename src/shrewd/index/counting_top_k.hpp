#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace shrewd {

// Maps a code's position in an index to its user id. With no ids, the id is the position.
struct IdMap {
  std::span<const std::uint64_t> ids;  // empty: id = position
  bool ascending = true;               // ids strictly increase with position

  std::uint64_t operator[](std::uint64_t position) const { return ids.empty() ? position : ids[position]; }
};

// Candidates found by a scan: positions in the index and their Hamming distances, in the order
// the scan met them (increasing position within one scan).
struct Hits {
  std::vector<std::uint64_t> positions;
  std::vector<std::uint16_t> distances;

  std::size_t size() const { return positions.size(); }
  void clear() {
    positions.clear();
    distances.clear();
  }
  void push(std::uint64_t position, std::uint16_t distance) {
    positions.push_back(position);
    distances.push_back(distance);
  }
};

// Orders hits by distance, then id, with a counting sort over the distances 0..bits (stable, so
// with ascending ids and hits in position order no comparison sort is needed at all), and writes
// the user ids and distances. The output spans must hold hits.size() entries.
void order_by_distance_then_id(const Hits& hits, std::size_t bits, const IdMap& ids, std::int64_t* ids_out,
                               std::int32_t* distances_out);

// Keeps the k nearest of a stream of candidates without sorting or a heap: candidates collect in a
// buffer of k + slack entries; when it fills, a histogram of their distances (small integers
// 0..bits) gives the distance t of the k-th nearest, and the buffer keeps those nearer than t plus
// the smallest-id ones at exactly t. From then on only candidates that can still enter are
// admitted (admit_limit), which for a scan over many codes is almost none: the Hamming kernel
// filters them with one vector compare.
//
// Candidates must arrive in increasing position order (concatenating scans of consecutive ranges
// is fine); with ascending ids this makes position order the tie-break, so nothing is ever sorted.
class CountingTopK {
 public:
  CountingTopK(std::size_t k, std::size_t bits, IdMap ids);

  void reset();
  // Largest distance a new candidate may have and still be among the k nearest.
  int admit_limit() const { return limit_; }
  // Free buffer slots; call make_room() first when fewer than `needed` are free.
  std::size_t free_slots() const { return capacity_ - hits_.size(); }
  void make_room() { compact(); }
  void push(std::uint64_t position, std::uint16_t distance) { hits_.push(position, distance); }
  // Takes all candidates of `later`, whose positions all follow this one's.
  void absorb(const CountingTopK& later);

  // Writes the k nearest ordered by distance then id to ids_out / distances_out (k entries each),
  // -1 in both where fewer than k candidates came.
  void write(std::int64_t* ids_out, std::int32_t* distances_out);

 private:
  void compact();

  std::size_t k_;
  std::size_t bits_;
  IdMap ids_;
  std::size_t capacity_;
  int limit_;
  Hits hits_;
  std::vector<std::size_t> histogram_;
  std::vector<std::uint64_t> tie_ids_;
};

}  // namespace shrewd
