// The progress output of training: elapsed time and the estimate of the time left
// (src/shrewd/train/progress_bar.hpp).
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "shrewd/train/progress_bar.hpp"

namespace shrewd::train {
namespace {

TEST(ProgressBar, ClockTextShowsMinutesAndHours) {
  EXPECT_EQ(clock_text(0), "0:00");
  EXPECT_EQ(clock_text(247.4), "4:07");
  EXPECT_EQ(clock_text(3909), "1:05:09");
  EXPECT_EQ(clock_text(-1), "?");  // no estimate yet
  EXPECT_EQ(clock_text(1.0 / 0.0), "?");
}

TEST(ProgressBar, TheTimeLeftScalesTheElapsedTimeByTheStepsLeft) {
  const RunClock clock(/*first_step=*/100, /*total_steps=*/400);  // resumed at step 100
  EXPECT_EQ(clock.eta_seconds(100), -1);                       // nothing measured yet
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double elapsed = clock.elapsed_seconds();
  const double eta = clock.eta_seconds(150);  // 50 steps done here, 250 left: 5 x elapsed
  EXPECT_GE(eta, 5 * elapsed);
  EXPECT_LT(eta, 5 * clock.elapsed_seconds() + 1e-9);
  EXPECT_EQ(clock.eta_seconds(400), 0);
}

TEST(ProgressBar, EpochLinesCarryTheElapsedTimeAndTheTimeLeft) {
  std::ostringstream out;
  ProgressBar bar(true, /*epochs=*/3, /*steps_per_epoch=*/4, /*first_epoch=*/0, out);
  bar.note("data: 16 training items");
  bar.start_epoch(0);
  for (int step = 1; step <= 4; ++step) bar.update(step, "loss 1.0", 100);  // not a terminal: no redraws
  bar.finish_epoch("loss 0.9000");
  const auto text = out.str();
  EXPECT_EQ(text.find("data: 16 training items\nepoch 1/3 loss 0.9000 | 0:00 elapsed, 0:00 left\n"), 0u) << text;

  std::ostringstream quiet;
  ProgressBar off(false, 3, 4, 0, quiet);
  off.note("data");
  off.finish_epoch("loss");
  EXPECT_EQ(quiet.str(), "");
}

TEST(ProgressBar, AnEncodingPassEndsWithItsCountsAndTimes) {
  std::ostringstream out;
  ItemProgress progress("encode", 300, true, out);
  progress.update(100);
  progress.update(300);  // not a terminal: nothing until the end
  EXPECT_EQ(out.str(), "");
  progress.finish();
  const auto text = out.str();
  EXPECT_EQ(text.rfind("encode 300/300 items ", 0), 0u) << text;
  EXPECT_NE(text.find(" items/s | 0:00 elapsed, 0:00 left\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace shrewd::train
