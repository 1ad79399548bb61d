// The generator: Philox blocks, uniforms and exact normals, per variate.
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
BENCHMARK(uniforms)->Arg(125)->Arg(1000);
BENCHMARK(normals);
BENCHMARK(inverse_normal_only);
