#pragma once

#include <cstdint>
#include <string>

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
  // Cosine, after a resume that changed the run's length (resumed_schedule): from step
  // restart_step on, the rate falls from restart_lr to 0 at the end of `epochs`. -1: none.
  std::int64_t restart_step = -1;
  double restart_lr = 0;

  // The rate of the optimizer step `step` (counted from 0 over the whole run) when an epoch has
  // `steps_per_epoch` steps. During the warm-up, step s has lr (s + 1) / (warmup_epochs
  // steps_per_epoch); after it, the schedule runs on the fractional epoch step / steps_per_epoch.
  double operator()(std::int64_t step, std::int64_t steps_per_epoch) const;
};

// What a resumed run whose train.epochs grew does with a cosine schedule (optim.resume_schedule).
enum class ResumeSchedule {
  Continue,  // the rate stays continuous: from where it was down to 0 at the new end
  Restart,   // a new cosine from optim.lr down to 0 over the added epochs (a warm restart)
};

// The schedule a run resumed at `step` follows, given the schedule it had (`before`, with its own
// restart) and the one its configuration now describes (`after`):
// - the same settings: `before`, so an interrupted run continues exactly as if uninterrupted;
// - only train.epochs changed: a cosine schedule past its warm-up restarts at `step`, from
//   before's rate there (Continue: no jump) or from optim.lr (Restart), and falls to 0 at after's
//   end; the step and constant schedules and the warm-up do not depend on the length.
// - other settings changed (optim.lr, the schedule, ...): `after` as configured, which may jump.
LrSchedule resumed_schedule(const LrSchedule& before, const LrSchedule& after, std::int64_t step,
                            std::int64_t steps_per_epoch, ResumeSchedule mode);

// One line saying what resumed_schedule decided, with the rate at `step`.
std::string describe_resumed_schedule(const LrSchedule& before, const LrSchedule& after, std::int64_t step,
                                      std::int64_t steps_per_epoch, ResumeSchedule mode);

}  // namespace shrewd::train
