#include "shrewd/train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace shrewd::train {
namespace {

double cosine_fall(double from, double t) { return from * 0.5 * (1 + std::cos(M_PI * std::clamp(t, 0.0, 1.0))); }

bool same_settings(const LrSchedule& a, const LrSchedule& b) {
  return a.lr == b.lr && a.schedule == b.schedule && a.step_epochs == b.step_epochs && a.gamma == b.gamma &&
         a.warmup_epochs == b.warmup_epochs;
}

}  // namespace

double LrSchedule::operator()(std::int64_t step, std::int64_t steps_per_epoch) const {
  const double epoch = static_cast<double>(step) / static_cast<double>(steps_per_epoch);
  if (epoch < warmup_epochs) return lr * (step + 1) / static_cast<double>(warmup_epochs * steps_per_epoch);
  switch (schedule) {
    case Schedule::Step: return lr * std::pow(gamma, std::floor(epoch / step_epochs));
    case Schedule::Cosine: {
      if (restart_step >= 0 && step >= restart_step) {
        const double span = static_cast<double>(std::int64_t{epochs} * steps_per_epoch - restart_step);
        return span > 0 ? cosine_fall(restart_lr, static_cast<double>(step - restart_step) / span) : 0.0;
      }
      const double span = static_cast<double>(epochs - warmup_epochs);
      return span > 0 ? cosine_fall(lr, (epoch - warmup_epochs) / span) : 0.0;
    }
    case Schedule::Constant: break;
  }
  return lr;
}

LrSchedule resumed_schedule(const LrSchedule& before, const LrSchedule& after, std::int64_t step,
                            std::int64_t steps_per_epoch, ResumeSchedule mode) {
  if (!same_settings(before, after)) return after;
  if (before.epochs == after.epochs) return before;
  LrSchedule resumed = after;
  const bool warming_up = step < std::int64_t{after.warmup_epochs} * steps_per_epoch;
  if (after.schedule == Schedule::Cosine && !warming_up) {
    resumed.restart_step = step;
    resumed.restart_lr = mode == ResumeSchedule::Restart ? after.lr : before(step, steps_per_epoch);
  }
  return resumed;
}

std::string describe_resumed_schedule(const LrSchedule& before, const LrSchedule& after, std::int64_t step,
                                      std::int64_t steps_per_epoch, ResumeSchedule mode) {
  const auto resumed = resumed_schedule(before, after, step, steps_per_epoch, mode);
  const double rate = resumed(step, steps_per_epoch), old_rate = before(step, steps_per_epoch);
  const auto at = fmt::format(" at step {}: {:.3g} (the old schedule: {:.3g})", step, rate, old_rate);
  if (!same_settings(before, after)) return "learning rate: the optim settings changed; the new schedule applies" + at;
  if (before.epochs == after.epochs) return "learning rate: the schedule continues unchanged" + at;
  std::string line = fmt::format("learning rate: train.epochs {} -> {}{}", before.epochs, after.epochs, at);
  if (resumed.restart_step < 0) return line + "; the schedule does not depend on the length";
  if (mode == ResumeSchedule::Restart) return line + "; a new cosine from optim.lr to 0 at the new end (restart)";
  line += "; the cosine continues without a jump to 0 at the new end";
  if (rate < 0.01 * after.lr)
    line += " (the rate had nearly reached 0, so the added epochs change little: optim.resume_schedule=restart "
            "starts a new cosine from optim.lr)";
  return line;
}

}  // namespace shrewd::train
