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

}  // namespace
}  // namespace shrewd::train
