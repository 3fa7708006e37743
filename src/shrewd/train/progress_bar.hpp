#pragma once

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

namespace shrewd::train {

// "1:05:09", "4:07": hours only when there are any; negative or not finite: "?".
std::string clock_text(double seconds);

// The run's elapsed time and an estimate of the time left, from the steps done so far in this
// process (validation included, once an epoch has passed) and the steps still to come.
class RunClock {
 public:
  // `first_step` and `total_steps` count the steps of the whole run (a resumed run starts later).
  RunClock(std::int64_t first_step, std::int64_t total_steps);
  double elapsed_seconds() const;
  // Elapsed x (steps left / steps done here); -1 before the first step.
  double eta_seconds(std::int64_t global_step) const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::int64_t first_step_, total_steps_;
};

// One line on stderr, redrawn in place: epoch, a bar, step counts, each loss term, images/s, the
// elapsed time and the estimate of the time left. When the stream is not a terminal, only the
// line of each finished epoch is printed (with the times).
class ProgressBar {
 public:
  ProgressBar(bool enabled, int epochs, std::int64_t steps_per_epoch, int first_epoch, std::ostream& out = std::cerr);
  void start_epoch(int epoch);
  void update(std::int64_t step, const std::string& terms, double images_per_second);
  void finish_epoch(const std::string& summary);
  // A line of its own (the start-up summary), when enabled.
  void note(const std::string& line);
  const RunClock& clock() const { return clock_; }

 private:
  std::string times(std::int64_t step_in_epoch) const;

  bool enabled_, terminal_;
  int epochs_, epoch_ = 0;
  std::int64_t steps_ = 0;
  std::ostream& out_;
  RunClock clock_;
  std::chrono::steady_clock::time_point last_draw_;
};

// The progress of one pass over `total` items (shrewd encode): "encode 12000/70000 items 3100
// items/s | 0:04 elapsed, 0:15 left", redrawn in place on a terminal; on another stream only the
// final line.
class ItemProgress {
 public:
  ItemProgress(std::string label, std::int64_t total, bool enabled, std::ostream& out = std::cerr);
  void update(std::int64_t done);
  void finish();

 private:
  std::string line(std::int64_t done) const;

  std::string label_;
  std::int64_t total_, done_ = 0;
  bool enabled_, terminal_;
  std::ostream& out_;
  RunClock clock_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace shrewd::train
