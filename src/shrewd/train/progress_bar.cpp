#include "shrewd/train/progress_bar.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "shrewd/common/seconds_since.hpp"

namespace shrewd::train {

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9) return "?";
  const auto total = static_cast<long long>(std::llround(seconds));
  char text[32];
  if (total >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  return text;
}

RunClock::RunClock(std::int64_t first_step, std::int64_t total_steps)
    : start_(std::chrono::steady_clock::now()), first_step_(first_step), total_steps_(total_steps) {}

double RunClock::elapsed_seconds() const { return seconds_since(start_); }

double RunClock::eta_seconds(std::int64_t global_step) const {
  const auto done = global_step - first_step_;
  if (done <= 0) return -1;
  const auto left = std::max<std::int64_t>(0, total_steps_ - global_step);
  return elapsed_seconds() * static_cast<double>(left) / static_cast<double>(done);
}

ProgressBar::ProgressBar(bool enabled, int epochs, std::int64_t steps_per_epoch, int first_epoch, std::ostream& out)
    : enabled_(enabled),
      terminal_(&out == &std::cerr && isatty(fileno(stderr)) != 0),
      epochs_(epochs),
      epoch_(first_epoch),
      steps_(steps_per_epoch),
      out_(out),
      clock_(first_epoch * steps_per_epoch, epochs * steps_per_epoch) {}

void ProgressBar::start_epoch(int epoch) {
  epoch_ = epoch;
  last_draw_ = {};
}

std::string ProgressBar::times(std::int64_t step_in_epoch) const {
  return clock_text(clock_.elapsed_seconds()) + " elapsed, " +
         clock_text(clock_.eta_seconds(epoch_ * steps_ + step_in_epoch)) + " left";
}

void ProgressBar::update(std::int64_t step, const std::string& terms, double images_per_second) {
  if (!enabled_ || !terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (step < steps_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  constexpr int width = 24;
  const int filled = steps_ > 0 ? static_cast<int>(width * step / steps_) : width;
  char line[512];
  std::snprintf(line, sizeof line, "\repoch %d/%d [%s%s] %lld/%lld %s %.0f img/s %s\x1b[K", epoch_ + 1, epochs_,
                std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(),
                static_cast<long long>(step), static_cast<long long>(steps_), terms.c_str(), images_per_second,
                times(step).c_str());
  out_ << line << std::flush;
}

void ProgressBar::finish_epoch(const std::string& summary) {
  if (!enabled_) return;
  out_ << (terminal_ ? "\r\x1b[K" : "") << "epoch " << epoch_ + 1 << "/" << epochs_ << " " << summary << " | "
       << times(steps_) << "\n"
       << std::flush;
}

void ProgressBar::note(const std::string& line) {
  if (enabled_) out_ << line << "\n" << std::flush;
}

ItemProgress::ItemProgress(std::string label, std::int64_t total, bool enabled, std::ostream& out)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      terminal_(&out == &std::cerr && isatty(fileno(stderr)) != 0),
      out_(out),
      clock_(0, total) {}

std::string ItemProgress::line(std::int64_t done) const {
  const double rate = static_cast<double>(done) / std::max(1e-9, clock_.elapsed_seconds());
  return fmt::format("{} {}/{} items {:.0f} items/s | {} elapsed, {} left", label_, done, total_, rate,
                     clock_text(clock_.elapsed_seconds()), clock_text(clock_.eta_seconds(done)));
}

void ItemProgress::update(std::int64_t done) {
  done_ = done;
  if (!enabled_ || !terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  out_ << "\r" << line(done) << "\x1b[K" << std::flush;
}

void ItemProgress::finish() {
  if (enabled_) out_ << (terminal_ ? "\r\x1b[K" : "") << line(done_) << "\n" << std::flush;
}

}  // namespace shrewd::train
