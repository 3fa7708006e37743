#pragma once

#include <cstdint>

namespace shrewd::train {

// The learning-rate schedule of a run (config section optim, docs/training.md).
enum class Schedule {
  Cosine,    // from lr down to 0 over the epochs after the warm-up, per step
  Step,      // lr x gamma every step_epochs epochs
  Constant,  // lr
};

struct LrSchedule {
  double lr = 1e-3;             // optim.lr: the peak rate
  Schedule schedule = Schedule::Cosine;
  int step_epochs = 10;         // Step: epochs between decays
  double gamma = 0.1;           // Step: the factor of each decay
  int warmup_epochs = 0;        // linear warm-up from lr / (warm-up steps) to lr
  int epochs = 10;              // Cosine: the run's length

  // The rate of the optimizer step `step` (counted from 0 over the whole run) when an epoch has
  // `steps_per_epoch` steps. During the warm-up, step s has lr (s + 1) / (warmup_epochs
  // steps_per_epoch); after it, the schedule runs on the fractional epoch step / steps_per_epoch.
  double operator()(std::int64_t step, std::int64_t steps_per_epoch) const;
};

}  // namespace shrewd::train
