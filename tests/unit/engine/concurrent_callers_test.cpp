// Several callers at once through the entry points the Python bindings use with the GIL released (issue 15):
// pricing with a progress callback that takes a lock as the GIL would, Dask's runs of leaves as bytes, and the
// structuring searches. Each caller runs its own multithreaded engine; every result must equal a lone run's.
// scripts/sanitize.sh runs this under ThreadSanitizer, in place of a ThreadSanitizer build of Python.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/structuring/search.hpp>

#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace computedebt;

namespace {

io::DealFile blended() { return io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json"); }

engine::SimulationConfig small_run(unsigned threads) {
  engine::SimulationConfig config;
  config.paths = 4096 + 17;
  config.seed = 11;
  config.threads = threads;
  config.block_leaves = 1;
  return config;
}

std::string comparable(const pricing::Results& results) {
  auto document = pricing::to_json(results);
  document.erase("elapsed_seconds");
  document.erase("threads");
  return document.dump();
}

/// Runs `call(caller)` on `callers` threads at once and returns what each returned.
template <class Call>
std::vector<std::string> at_once(int callers, Call call) {
  std::vector<std::string> answers(static_cast<std::size_t>(callers));
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i) threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = call(i); });
  for (auto& thread : threads) thread.join();
  return answers;
}

}  // namespace

TEST(concurrent_callers, pricing_at_once_with_a_shared_lock_in_the_progress_callback_equals_a_lone_run) {
  const auto file = blended();
  const auto lone = comparable(engine::simulate(calibration::calibrate(file), small_run(1)));
  std::mutex interpreter;  // the GIL: the bindings' progress callback takes it on every report
  std::uint64_t reports = 0;
  const auto answers = at_once(3, [&](int caller) {
    const auto plan = calibration::calibrate(file);
    auto config = small_run(static_cast<unsigned>(1 + caller));
    config.progress = [&](std::uint64_t, std::uint64_t) {
      const std::lock_guard lock(interpreter);
      ++reports;
      return true;
    };
    return comparable(engine::simulate(plan, config));
  });
  for (const auto& answer : answers) EXPECT_EQ(answer, lone);
  EXPECT_GE(reports, 3u);
}

TEST(concurrent_callers, runs_of_leaves_at_once_merge_into_the_lone_run) {
  const auto plan = calibration::calibrate(blended());
  const auto config = small_run(1);
  const auto leaves = engine::leaf_count(config.paths);
  const auto answers = at_once(static_cast<int>(leaves), [&](int leaf) {
    const auto first = static_cast<std::uint64_t>(leaf);
    return engine::partial_to_bytes(engine::simulate_blocks(plan, config, first, first + 1));
  });
  std::vector<engine::Partial> partials;
  for (const auto& bytes : answers) partials.push_back(engine::partial_from_bytes(bytes));
  EXPECT_EQ(comparable(engine::finish(plan, config, engine::merge_blocks(std::move(partials)))),
            comparable(engine::simulate(plan, config)));
}

TEST(concurrent_callers, structuring_searches_at_once_equal_lone_searches) {
  const auto file = blended();
  auto config = small_run(2);
  config.paths = 2048;
  const auto search = [&](int caller) {
    const auto result =
        caller % 2 == 0 ? structuring::size_tranche(file, "Senior A", "Baa2", config)
                        : structuring::break_even_multiplier(file, "Senior A", "Baa2", {"ai_startup"}, config, 20.0);
    return structuring::to_json(result).dump();
  };
  const std::vector<std::string> lone{search(0), search(1)};
  const auto answers = at_once(4, search);
  for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_EQ(answers[i], lone[i % 2]);
}
