#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace shrewd::train {

// One line on stderr, redrawn in place: epoch, a bar, step counts, each loss term and images/s.
// When stderr is not a terminal, only the line of each finished epoch is printed.
class ProgressBar {
 public:
  ProgressBar(bool enabled, int epochs);
  void start_epoch(int epoch, std::int64_t steps);
  void update(std::int64_t step, const std::string& terms, double images_per_second);
  void finish_epoch(const std::string& summary);

 private:
  bool enabled_, terminal_;
  int epochs_, epoch_ = 0;
  std::int64_t steps_ = 0;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace shrewd::train
