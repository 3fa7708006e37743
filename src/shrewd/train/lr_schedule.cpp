#include "shrewd/train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace shrewd::train {

double LrSchedule::operator()(std::int64_t step, std::int64_t steps_per_epoch) const {
  const double epoch = static_cast<double>(step) / static_cast<double>(steps_per_epoch);
  if (epoch < warmup_epochs) return lr * (step + 1) / static_cast<double>(warmup_epochs * steps_per_epoch);
  switch (schedule) {
    case Schedule::Step: return lr * std::pow(gamma, std::floor(epoch / step_epochs));
    case Schedule::Cosine: {
      const double span = static_cast<double>(epochs - warmup_epochs);
      const double t = span > 0 ? (epoch - warmup_epochs) / span : 1.0;
      return lr * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t)));
    }
    case Schedule::Constant: break;
  }
  return lr;
}

}  // namespace shrewd::train
