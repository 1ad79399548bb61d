// The generator: Philox blocks, uniforms and exact normals, per variate.
#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/core/random.hpp>

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using computedebt::RandomStream;
using computedebt::Stream;

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
  static const auto targets = computedebt::simd_targets();
  const auto target = static_cast<std::size_t>(state.range(1));
  if (target >= targets.size()) {
    state.SkipWithError("no such SIMD target here");
    return;
  }
  computedebt::restrict_simd_target(targets[target]);
  const RandomStream stream(1, Stream::idiosyncratic);
  std::vector<std::uint32_t> out(static_cast<std::size_t>(state.range(0)));
  std::uint64_t path = 0;
  for (auto _ : state) {
    stream.bits(path++, 0, out);
    benchmark::DoNotOptimize(out.data());
  }
  computedebt::restrict_simd_target("");
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel(targets[target]);
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
