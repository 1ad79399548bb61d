// The generator: Philox blocks, uniforms and exact normals, per variate; the portable math kernels on each SIMD
// target against the C library and Boost.
#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/core/portable_math.hpp>
#include <computedebt/core/random.hpp>

#include <benchmark/benchmark.h>
#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <vector>

#include "simd_target.hpp"

namespace {

using computedebt::RandomStream;
using computedebt::Stream;
using computedebt_benchmarks::use_target;

void philox_block(benchmark::State& state) {
  const RandomStream stream(1, Stream::idiosyncratic);
  std::uint64_t path = 0;
  for (auto _ : state) benchmark::DoNotOptimize(stream.block(path++, 0));
  state.SetItemsProcessed(state.iterations() * 4);  // four 32-bit outputs a call
}

/// The idiosyncratic bits of a path of `range(0)` names, one Random123 block at a time: the baseline of `bits`.
void bits_one_block_at_a_time(benchmark::State& state) {
  const RandomStream stream(1, Stream::idiosyncratic);
  std::vector<std::uint32_t> out(static_cast<std::size_t>(state.range(0)));
  std::uint64_t path = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < out.size(); i += 4) {
      const auto block = stream.block(path, i / 4);
      for (std::size_t k = 0; k < 4 && i + k < out.size(); ++k) out[i + k] = block[k];
    }
    ++path;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// The same bits on SIMD lanes (`philox_blocks`), on target `range(1)` of those this machine runs, best first
/// (label: its name).
void bits(benchmark::State& state) {
  if (!use_target(state, static_cast<std::size_t>(state.range(1)))) return;
  const RandomStream stream(1, Stream::idiosyncratic);
  std::vector<std::uint32_t> out(static_cast<std::size_t>(state.range(0)));
  std::uint64_t path = 0;
  for (auto _ : state) {
    stream.bits(path++, 0, out);
    benchmark::DoNotOptimize(out.data());
  }
  computedebt::restrict_simd_target("");
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void uniforms(benchmark::State& state) {
  const RandomStream stream(1, Stream::idiosyncratic);
  std::vector<double> out(static_cast<std::size_t>(state.range(0)));
  std::uint64_t path = 0;
  for (auto _ : state) {
    stream.uniforms(path++, 0, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void normals(benchmark::State& state) {
  const RandomStream stream(1, Stream::systematic);
  std::uint64_t path = 0;
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::normal(stream, path++, 0));
  state.SetItemsProcessed(state.iterations());
}

/// 1,024 inputs of a kernel: uniforms of one path for the inverse normal, their logarithms' arguments, and
/// exponents of a market path's size.
std::vector<double> inputs(double low, double high) {
  std::vector<double> x(1024);
  const RandomStream stream(3, Stream::gpu_diffusion);
  stream.uniforms(0, 0, x);
  for (auto& v : x) v = low + (high - low) * v;
  return x;
}

/// `kernel` over 1,024 inputs per iteration on target `range(0)`.
template <class Kernel>
void on_target(benchmark::State& state, Kernel kernel, double low, double high) {
  if (!use_target(state, static_cast<std::size_t>(state.range(0)))) return;
  const auto x = inputs(low, high);
  std::vector<double> y(x.size());
  for (auto _ : state) {
    kernel(x, y);
    benchmark::DoNotOptimize(y.data());
  }
  computedebt::restrict_simd_target("");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

/// The same 1,024 inputs one at a time through a scalar function: the baselines.
template <class Function>
void scalar(benchmark::State& state, Function function, double low, double high) {
  const auto x = inputs(low, high);
  std::vector<double> y(x.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = function(x[i]);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

void inverse_normals(benchmark::State& state) {
  on_target(
      state, [](auto x, auto y) { computedebt::inverse_normals(x, y); }, 0.0, 1.0);
}
void inverse_normals_boost(benchmark::State& state) {
  const boost::math::normal_distribution<double> normal;
  scalar(
      state, [&](double u) { return boost::math::quantile(normal, u); }, 0.0, 1.0);
}
void exps(benchmark::State& state) {
  on_target(
      state, [](auto x, auto y) { computedebt::exps(x, y); }, -0.2, 0.2);
}
void exps_libm(benchmark::State& state) {
  scalar(
      state, [](double x) { return std::exp(x); }, -0.2, 0.2);
}
void logs(benchmark::State& state) {
  on_target(
      state, [](auto x, auto y) { computedebt::logs(x, y); }, 1e-9, 0.075);
}
void logs_libm(benchmark::State& state) {
  scalar(
      state, [](double x) { return std::log(x); }, 1e-9, 0.075);
}

void inverse_normal_only(benchmark::State& state) {
  double u = 0.1234;
  for (auto _ : state) {
    benchmark::DoNotOptimize(computedebt::inverse_normal(u));
    u = u > 0.99 ? 0.0123 : u + 0.0371;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(philox_block);
BENCHMARK(bits_one_block_at_a_time)->Arg(125)->Arg(1000);
BENCHMARK(bits)->ArgsProduct({{125, 1000}, {0, 1, 2, 3}});
BENCHMARK(uniforms)->Arg(125)->Arg(1000);
BENCHMARK(normals);
BENCHMARK(inverse_normal_only);
BENCHMARK(inverse_normals)->DenseRange(0, 3);
BENCHMARK(inverse_normals_boost);
BENCHMARK(exps)->DenseRange(0, 3);
BENCHMARK(exps_libm);
BENCHMARK(logs)->DenseRange(0, 3);
BENCHMARK(logs_libm);
