#include <gtest/gtest.h>
#include <computedebt/core/error.hpp>

TEST(error, input_error_lists_every_problem_one_per_line) {
  const computedebt::InputError error(
      {{"deal.contracts[3].end_date", "expected a date after start_date"}, {"", "deal.json is empty"}});
  EXPECT_STREQ(error.what(), "deal.contracts[3].end_date: expected a date after start_date\ndeal.json is empty");
  ASSERT_EQ(error.problems().size(), 2u);
  EXPECT_EQ(error.problems()[0].path, "deal.contracts[3].end_date");
}

TEST(error, input_and_model_errors_are_library_errors) {
  EXPECT_THROW(throw computedebt::InputError({computedebt::Problem{"a", "b"}}), computedebt::Error);
  EXPECT_THROW(throw computedebt::ModelError("m"), computedebt::Error);
}

TEST(error, require_formats_its_message_only_on_failure) {
  EXPECT_NO_THROW(computedebt::require(true, "never {}", 1));
  try {
    computedebt::require(false, "expected {} paths, got {}", 1024, 3);
    FAIL();
  } catch (const computedebt::ModelError& error) {
    EXPECT_STREQ(error.what(), "expected 1024 paths, got 3");
  }
}
