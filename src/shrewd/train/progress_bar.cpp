#include "shrewd/train/progress_bar.hpp"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace shrewd::train {

ProgressBar::ProgressBar(bool enabled, int epochs)
    : enabled_(enabled), terminal_(isatty(fileno(stderr)) != 0), epochs_(epochs) {}

void ProgressBar::start_epoch(int epoch, std::int64_t steps) {
  epoch_ = epoch;
  steps_ = steps;
  last_draw_ = {};
}

void ProgressBar::update(std::int64_t step, const std::string& terms, double images_per_second) {
  if (!enabled_ || !terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (step < steps_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  constexpr int width = 24;
  const int filled = steps_ > 0 ? static_cast<int>(width * step / steps_) : width;
  char line[512];
  std::snprintf(line, sizeof line, "\repoch %d/%d [%s%s] %lld/%lld %s %.0f img/s\x1b[K", epoch_ + 1, epochs_,
                std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(),
                static_cast<long long>(step), static_cast<long long>(steps_), terms.c_str(), images_per_second);
  std::cerr << line << std::flush;
}

void ProgressBar::finish_epoch(const std::string& summary) {
  if (!enabled_) return;
  std::cerr << (terminal_ ? "\r\x1b[K" : "") << "epoch " << epoch_ + 1 << "/" << epochs_ << " " << summary << "\n"
            << std::flush;
}

}  // namespace shrewd::train
