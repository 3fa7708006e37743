// The learning-rate schedule (src/shrewd/train/lr_schedule.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "shrewd/train/lr_schedule.hpp"

namespace shrewd::train {
namespace {

LrSchedule schedule(Schedule kind, int warmup_epochs = 0) {
  LrSchedule s;
  s.lr = 0.1;
  s.schedule = kind;
  s.step_epochs = 3;
  s.gamma = 0.5;
  s.warmup_epochs = warmup_epochs;
  s.epochs = 10;
  return s;
}

constexpr std::int64_t kSteps = 4;  // steps per epoch

TEST(LrSchedule, WarmupRisesLinearlyToTheFullRate) {
  for (auto kind : {Schedule::Cosine, Schedule::Step, Schedule::Constant}) {
    const auto s = schedule(kind, 2);  // 8 warm-up steps
    EXPECT_DOUBLE_EQ(s(0, kSteps), 0.1 / 8);
    EXPECT_DOUBLE_EQ(s(3, kSteps), 0.1 * 4 / 8);
    EXPECT_DOUBLE_EQ(s(7, kSteps), 0.1);  // the last warm-up step reaches lr
  }
  // After the warm-up, cosine starts from the top: it spans the epochs after the warm-up.
  const auto cosine = schedule(Schedule::Cosine, 2);
  EXPECT_DOUBLE_EQ(cosine(8, kSteps), 0.1);
  EXPECT_NEAR(cosine(8 + 16, kSteps), 0.05, 1e-15);  // halfway through epochs 2..10
  EXPECT_NEAR(cosine(40, kSteps), 0.0, 1e-15);
  // The step schedule counts its decays from epoch 0, warm-up included.
  const auto step = schedule(Schedule::Step, 2);
  EXPECT_DOUBLE_EQ(step(8, kSteps), 0.1);
  EXPECT_DOUBLE_EQ(step(12, kSteps), 0.05);  // epoch 3
}

TEST(LrSchedule, StepDecaysByGammaEveryStepEpochs) {
  const auto s = schedule(Schedule::Step);
  EXPECT_DOUBLE_EQ(s(0, kSteps), 0.1);
  EXPECT_DOUBLE_EQ(s(3 * kSteps - 1, kSteps), 0.1);  // the last step of epoch 2
  EXPECT_DOUBLE_EQ(s(3 * kSteps, kSteps), 0.05);     // the first of epoch 3
  EXPECT_DOUBLE_EQ(s(6 * kSteps, kSteps), 0.025);
  EXPECT_DOUBLE_EQ(s(9 * kSteps + 3, kSteps), 0.0125);
}

TEST(LrSchedule, CosineFallsPerStepFromLrToZeroAtTheEnd) {
  const auto s = schedule(Schedule::Cosine);
  EXPECT_DOUBLE_EQ(s(0, kSteps), 0.1);
  EXPECT_DOUBLE_EQ(s(1, kSteps), 0.1 * 0.5 * (1 + std::cos(M_PI * (0.25 / 10))));  // per step, not per epoch
  EXPECT_NEAR(s(5 * kSteps, kSteps), 0.05, 1e-15);
  EXPECT_NEAR(s(10 * kSteps, kSteps), 0.0, 1e-15);  // the end of the run
  EXPECT_NEAR(s(12 * kSteps, kSteps), 0.0, 1e-15);  // resumed past the end: stays at 0
  for (std::int64_t step = 1; step < 10 * kSteps; ++step) EXPECT_LT(s(step, kSteps), s(step - 1, kSteps));
  // Warm-up over the whole run: cosine has nothing left and gives 0 from there.
  auto all_warmup = schedule(Schedule::Cosine, 10);
  EXPECT_DOUBLE_EQ(all_warmup(10 * kSteps - 1, kSteps), 0.1);
  EXPECT_DOUBLE_EQ(all_warmup(10 * kSteps, kSteps), 0.0);
}

TEST(LrSchedule, ConstantKeepsTheRate) {
  const auto s = schedule(Schedule::Constant);
  for (std::int64_t step : {0, 1, 7, 39, 400}) EXPECT_DOUBLE_EQ(s(step, kSteps), 0.1);
}

// --resume with more epochs (resumed_schedule): the rate does not jump, falls to 0 at the new end,
// and an interrupted run (same settings) follows the schedule it had.
TEST(LrSchedule, AResumedLongerCosineRunContinuesWithoutAJump) {
  const auto before = schedule(Schedule::Cosine);  // 10 epochs
  auto after = before;
  after.epochs = 20;
  const std::int64_t resume = 6 * kSteps;  // interrupted after epoch 6
  const auto resumed = resumed_schedule(before, after, resume, kSteps, ResumeSchedule::Continue);
  EXPECT_DOUBLE_EQ(resumed(resume, kSteps), before(resume, kSteps));  // without the restart: 0.0345 -> 0.0794
  EXPECT_GT(after(resume, kSteps) - before(resume, kSteps), 0.02);
  for (std::int64_t step = resume + 1; step < 20 * kSteps; ++step)
    EXPECT_LT(resumed(step, kSteps), resumed(step - 1, kSteps)) << step;
  EXPECT_NEAR(resumed(20 * kSteps, kSteps), 0.0, 1e-15);
  EXPECT_NEAR(resumed(resume + 7 * kSteps, kSteps), before(resume, kSteps) / 2, 1e-15);  // halfway: half the rate

  // Interrupted again and resumed with the same settings: the same curve, its restart included.
  EXPECT_DOUBLE_EQ(resumed_schedule(resumed, after, 9 * kSteps, kSteps, ResumeSchedule::Continue)(50, kSteps),
                   resumed(50, kSteps));
  // Made longer twice: still continuous at the second resume.
  auto longer = after;
  longer.epochs = 30;
  const auto twice = resumed_schedule(resumed, longer, 12 * kSteps, kSteps, ResumeSchedule::Continue);
  EXPECT_DOUBLE_EQ(twice(12 * kSteps, kSteps), resumed(12 * kSteps, kSteps));
  EXPECT_NEAR(twice(30 * kSteps, kSteps), 0.0, 1e-15);

  // The same run length: exactly the uninterrupted schedule.
  const auto same = resumed_schedule(before, before, resume, kSteps, ResumeSchedule::Continue);
  for (std::int64_t step = 0; step <= 10 * kSteps; ++step) EXPECT_DOUBLE_EQ(same(step, kSteps), before(step, kSteps));
}

TEST(LrSchedule, RestartStartsANewCosineAndOtherChangesApplyAsConfigured) {
  const auto before = schedule(Schedule::Cosine);
  auto after = before;
  after.epochs = 15;
  const std::int64_t end = 10 * kSteps;  // a finished run: its rate has reached 0
  const auto continued = resumed_schedule(before, after, end, kSteps, ResumeSchedule::Continue);
  EXPECT_NEAR(continued(end + 1, kSteps), 0.0, 1e-15);
  const auto line = describe_resumed_schedule(before, after, end, kSteps, ResumeSchedule::Continue);
  EXPECT_NE(line.find("optim.resume_schedule=restart"), std::string::npos) << line;  // says what to do instead
  const auto restarted = resumed_schedule(before, after, end, kSteps, ResumeSchedule::Restart);
  EXPECT_DOUBLE_EQ(restarted(end, kSteps), 0.1);
  EXPECT_NEAR(restarted(end + 10, kSteps), 0.05, 1e-15);  // halfway through the 5 added epochs
  EXPECT_NEAR(restarted(15 * kSteps, kSteps), 0.0, 1e-15);

  // Step and constant schedules do not depend on the length: unchanged.
  auto step_before = schedule(Schedule::Step), step_after = step_before;
  step_after.epochs = 20;
  const auto step_resumed = resumed_schedule(step_before, step_after, 5 * kSteps, kSteps, ResumeSchedule::Continue);
  for (std::int64_t s = 0; s < 20 * kSteps; ++s) EXPECT_DOUBLE_EQ(step_resumed(s, kSteps), step_before(s, kSteps));

  // Another optim.lr (or schedule): the new settings as configured, and the line says so.
  auto other = before;
  other.lr = 0.3;
  other.epochs = 20;
  const auto changed = resumed_schedule(before, other, 4 * kSteps, kSteps, ResumeSchedule::Continue);
  EXPECT_DOUBLE_EQ(changed(4 * kSteps, kSteps), other(4 * kSteps, kSteps));
  EXPECT_NE(describe_resumed_schedule(before, other, 4 * kSteps, kSteps, ResumeSchedule::Continue).find("changed"),
            std::string::npos);
}

}  // namespace
}  // namespace shrewd::train
