#include "partial_pool.hpp"
#include "path_runner.hpp"

#include <computedebt/engine/simulate.hpp>

#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace computedebt::engine {

namespace {

using detail::PartialPool;
using detail::PathRunner;

/// What the tree needs besides the leaves: the run, the workspace, the spare partials, and the shared progress
/// counters.
struct TreeContext {
  const SimulationConfig& config;
  PathRunner& runner;
  PartialPool& pool;
  pricing::PathValues* store;
  std::uint64_t first_leaf, last_leaf;  ///< Only these leaves are simulated; the others are empty.
  std::atomic<std::uint64_t>* paths_done = nullptr;
  const std::atomic<bool>* cancelled = nullptr;
};

Partial simulate_leaf(TreeContext& context, std::uint64_t leaf) {
  Partial partial = context.pool.take();
  if (context.cancelled && context.cancelled->load(std::memory_order_relaxed)) return partial;
  const std::uint64_t begin = leaf * leaf_paths;
  const std::uint64_t end = std::min(begin + leaf_paths, context.config.paths);
  for (std::uint64_t path = begin; path < end; ++path) context.runner.run(context.config.seed, path, context.store);
  partial.first_leaf = leaf;
  partial.last_leaf = leaf + 1;
  context.runner.end_leaf(partial);
  if (context.paths_done) context.paths_done->fetch_add(end - begin, std::memory_order_relaxed);
  return partial;
}

/// The partial of the tree node covering leaves `[low, low + size)`, `size` a power of two.
Partial simulate_node(TreeContext& context, std::uint64_t low, std::uint64_t size) {
  if (low >= context.last_leaf || low + size <= context.first_leaf) return context.pool.take();
  if (size == 1) return simulate_leaf(context, low);
  Partial left = simulate_node(context, low, size / 2);
  // A right half past the last leaf is empty, and merging with it is the identity: skip building it.
  if (low + size / 2 >= context.last_leaf) return left;
  Partial right = simulate_node(context, low + size / 2, size / 2);
  // `merge` returns a reference: returning it would copy the partial, every histogram included.
  merge(left, right);
  context.pool.give(std::move(right));
  return left;
}

/// The blocks' partials, merged up the fixed tree as soon as both children of a node are done, so that at
/// most a few partials per thread wait at any time: memory does not grow with the number of paths.
class MergeTree {
 public:
  MergeTree(PartialPool& pool, std::uint64_t blocks) : pool_(pool), blocks_(blocks) {}

  /// Adds the partial of block `index` and merges upward while the sibling is there (or can never come).
  void add(std::uint64_t index, Partial partial) {
    int level = 0;
    std::unique_lock lock(mutex_);
    while ((std::uint64_t{1} << level) < std::bit_ceil(blocks_)) {
      const std::uint64_t sibling = index ^ 1;
      if ((sibling << level) >= blocks_) {
        // The sibling covers no block: merging with it is the identity.
      } else if (auto found = pending_.find({level, sibling}); found != pending_.end()) {
        Partial other = std::move(found->second);
        pending_.erase(found);
        lock.unlock();
        if (sibling < index) {
          merge(other, partial);
          std::swap(partial, other);
        } else {
          merge(partial, other);
        }
        pool_.give(std::move(other));
        lock.lock();
      } else {
        pending_.emplace(std::pair{level, index}, std::move(partial));
        return;
      }
      ++level;
      index >>= 1;
    }
    root_ = std::move(partial);
  }

  /// The root, once every block has been added.
  Partial take_root() { return root_ ? std::move(*root_) : pool_.take(); }

 private:
  PartialPool& pool_;
  std::uint64_t blocks_;
  std::mutex mutex_;
  std::map<std::pair<int, std::uint64_t>, Partial> pending_;
  std::optional<Partial> root_;
};

/// The path count and thread count, refused as input errors naming the setting: a count above `max_paths` would
/// wrap the leaf count (`(paths + 1023) / 1024`) and run nothing while claiming every path.
void check_counts(const SimulationConfig& config) {
  require_input(config.paths > 0, "paths", "expected at least one path, got 0");
  require_input(config.paths <= max_paths, "paths", "expected at most 2^40 = {} paths, got {}", max_paths,
                config.paths);
  require_input(config.threads <= max_threads, "threads", "expected at most {} threads (0: all cores), got {}",
                max_threads, config.threads);
}

}  // namespace

Partial simulate_blocks(const calibration::Plan& plan, const SimulationConfig& config, std::uint64_t first_leaf,
                        std::uint64_t last_leaf) {
  check_counts(config);
  require_input(!config.contributions || config.loss_tail, "contributions",
                "risk contributions over blocks need the loss tail of a first round (engine::loss_tail)");
  const std::uint64_t leaves = leaf_count(config.paths);
  require(first_leaf <= last_leaf && last_leaf <= leaves, "leaves [{}, {}) are outside the run's {} leaves", first_leaf,
          last_leaf, leaves);
  PathRunner runner(plan, config);
  PartialPool pool(plan, optional_statistics(config));
  TreeContext context{config, runner, pool, nullptr, first_leaf, last_leaf};
  return simulate_node(context, 0, std::bit_ceil(std::max<std::uint64_t>(leaves, 1)));
}

LossTail loss_tail(const Partial& partial, std::uint64_t paths) {
  const auto& histogram = partial.loss_distribution;
  const double a = contribution_level, total = histogram.total();
  const std::size_t at = histogram.quantile_bin(a);
  double weight_le = 0.0;
  for (std::size_t i = 0; i <= at; ++i) weight_le += histogram.bins()[i].weight;
  const double in_bin = histogram.bins()[at].weight, n = static_cast<double>(paths);
  LossTail tail{static_cast<std::uint32_t>(at)};
  if (in_bin > 0.0 && total > 0.0) {
    tail.var_factor = n / in_bin;
    tail.es_above_factor = n / ((1.0 - a) * total);
    tail.es_bin_factor = n * (weight_le - a * total) / (in_bin * (1.0 - a) * total);
  }
  return tail;
}

namespace {

/// A pass over every path on `threads` threads, merged along the fixed tree. Progress reports add `done_before`
/// to the paths done and count against `total`.
Partial run_pass(const calibration::Plan& plan, const SimulationConfig& config, unsigned threads,
                 pricing::PathValues* store, std::uint64_t done_before, std::uint64_t total) {
  const std::uint64_t leaves = leaf_count(config.paths);
  const std::uint64_t block_leaves = std::min(config.block_leaves, std::bit_ceil(leaves));
  const std::uint64_t blocks = (leaves + block_leaves - 1) / block_leaves;
  PartialPool pool(plan, optional_statistics(config));
  MergeTree tree(pool, blocks);
  std::atomic<std::uint64_t> next_block{0}, paths_done{0};
  std::atomic<bool> cancelled{false};
  std::atomic<unsigned> running{0};
  std::mutex mutex;
  std::condition_variable finished;
  std::exception_ptr failure;

  const auto work = [&] {
    try {
      PathRunner runner(plan, config);
      TreeContext context{config, runner, pool, store, 0, leaves, &paths_done, &cancelled};
      for (std::uint64_t b; (b = next_block.fetch_add(1)) < blocks && !cancelled.load();) {
        Partial block = simulate_node(context, b * block_leaves, block_leaves);
        // A block cut short by a cancellation is incomplete; the run is discarded anyway.
        if (!cancelled.load()) tree.add(b, std::move(block));
      }
    } catch (...) {
      const std::scoped_lock lock(mutex);
      failure = std::current_exception();
      cancelled = true;
    }
    const std::scoped_lock lock(mutex);
    --running;
    finished.notify_all();
  };

  std::vector<std::jthread> workers;
  running = threads;
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work);
  {
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; })) {
      if (!config.progress) continue;
      lock.unlock();
      try {
        if (!config.progress(done_before + paths_done.load(), total)) cancelled = true;
      } catch (...) {
        // Stop the workers before the callback's exception leaves.
        cancelled = true;
        workers.clear();
        throw;
      }
      lock.lock();
    }
  }
  workers.clear();
  if (failure) std::rethrow_exception(failure);
  if (cancelled) throw Cancelled();
  return tree.take_root();
}

}  // namespace

pricing::Results simulate(const calibration::Plan& plan, const SimulationConfig& config) {
  // The settings are the caller's input, so their mistakes are input errors named by the setting.
  check_counts(config);
  require_input(!config.antithetic || config.paths % 2 == 0, "paths",
                "antithetic pairs need an even number of paths, got {}", config.paths);
  require_input(!config.quasi_random || (config.paths % leaf_paths == 0 && config.paths >= 2 * leaf_paths), "paths",
                "quasi-random factors need a whole number of leaves of {} paths, at least two, got {} paths",
                leaf_paths, config.paths);
  require_input(std::has_single_bit(config.block_leaves), "block_leaves", "expected a power of two, got {}",
                config.block_leaves);
  const auto start = std::chrono::steady_clock::now();
  const unsigned threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());

  std::optional<pricing::PathValues> store;
  if (config.keep_paths) {
    for (int month : config.gpu_multiplier_months)
      require_input(month >= 0 && month <= plan.grid.months(), "gpu_multiplier_months",
                    "month {} is outside the grid [0, {}]", month, plan.grid.months());
    const std::size_t tranches = plan.tranche_count();
    const std::size_t gpu_values = plan.gpu.types * config.gpu_multiplier_months.size();
    const std::size_t waterfall_paths = plan.is_waterfall() ? config.paths : 0;
    store = pricing::PathValues{std::vector<double>(config.paths),
                                std::vector<std::uint32_t>(config.paths),
                                std::vector<double>(config.paths * tranches),
                                std::vector<double>(config.importance_shift.empty() ? 0 : config.paths),
                                config.gpu_multiplier_months,
                                std::vector<double>(config.paths * gpu_values),
                                std::vector<double>(waterfall_paths),
                                std::vector<double>(waterfall_paths),
                                std::vector<std::uint32_t>(waterfall_paths),
                                std::vector<double>(waterfall_paths)};
    if (config.keep_flows && plan.is_waterfall())
      for (auto* flows : {&store->interest, &store->principal, &store->balance})
        flows->resize(config.paths * tranches * plan.waterfall.dates);
  }

  // Contributions take two passes over the same paths: the first finds the VaR, the second allocates around it
  // and gives every other statistic bit for bit as the first did.
  const std::uint64_t total = config.contributions ? 2 * config.paths : config.paths;
  Partial root;
  if (config.contributions) {
    SimulationConfig first = config;
    first.contributions = first.control_variates = false;
    SimulationConfig second = config;
    second.loss_tail = loss_tail(run_pass(plan, first, threads, nullptr, 0, total), config.paths);
    root = run_pass(plan, second, threads, store ? &*store : nullptr, config.paths, total);
  } else {
    root = run_pass(plan, config, threads, store ? &*store : nullptr, 0, total);
  }
  // The final report may cancel too (a Python callback turns Ctrl-C or its own exception into a False answer).
  if (config.progress && !config.progress(total, total)) throw Cancelled();

  pricing::Results results = finish(plan, config, root);
  results.threads = threads;
  results.path_values = std::move(store);
  results.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace computedebt::engine
