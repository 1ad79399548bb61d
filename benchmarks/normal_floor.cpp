// The floor for benchmarks/compare_peers: the time only to draw the random numbers the homogeneous pool
// needs, with computedebt's generator, on all cores, and nothing else.
//
// Per path: the factor normal (Stream::systematic, output 0) and one normal per name (Stream::idiosyncratic,
// outputs 0..124), 126 normals in all, the draws of the latent-variable formulation X = sqrt(rho) Z +
// sqrt(1 - rho) eps that the NumPy and QuantLib peers use. Each thread takes a contiguous range of paths and
// sums its draws into a checksum, so nothing is optimised away.
//
// Usage: normal_floor [--paths N] [--threads T] [--seed S] [--mode normals|scalar|uniforms]
//   normals   (default) the 125 name normals from RandomStream::uniforms (Philox on SIMD lanes) and the
//             vectorised inverse_normals: the same values as computedebt::normal(stream, path, n);
//   scalar    computedebt::normal(stream, path, n) for every variate (one Philox block per output);
//   uniforms  the factor normal and 125 uniforms: what computedebt's conditional sampling draws.
// Prints one JSON line: {"paths", "seconds", "threads", "mode", "checksum", "simd_target"}.

#include <computedebt/core/random.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using computedebt::RandomStream;
using computedebt::Stream;

constexpr std::size_t names = 125;

struct Options {
  std::uint64_t paths = 1'000'000;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::uint32_t seed = 1;
  std::string mode = "normals";
};

void add_options(CLI::App& app, Options& options) {
  app.add_option("--paths", options.paths, "Paths to draw")->check(CLI::PositiveNumber);
  app.add_option("--threads", options.threads, "Threads")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "Seed");
  app.add_option("--mode", options.mode, "normals, scalar or uniforms")
      ->check(CLI::IsMember({"normals", "scalar", "uniforms"}));
}

// Draws for paths [first, last); returns the sum of every variate.
double draw(const Options& options, std::uint64_t first, std::uint64_t last) {
  const RandomStream systematic(options.seed, Stream::systematic);
  const RandomStream idiosyncratic(options.seed, Stream::idiosyncratic);
  std::array<double, names> u{}, z{};
  double sum = 0.0;
  if (options.mode == "scalar") {
    for (std::uint64_t path = first; path < last; ++path) {
      sum += computedebt::normal(systematic, path, 0);
      for (std::size_t n = 0; n < names; ++n) sum += computedebt::normal(idiosyncratic, path, n);
    }
  } else if (options.mode == "normals") {
    for (std::uint64_t path = first; path < last; ++path) {
      sum += computedebt::normal(systematic, path, 0);
      idiosyncratic.uniforms(path, 0, u);
      computedebt::inverse_normals(u, z);
      for (const double x : z) sum += x;
    }
  } else {
    for (std::uint64_t path = first; path < last; ++path) {
      sum += computedebt::normal(systematic, path, 0);
      idiosyncratic.uniforms(path, 0, u);
      for (const double x : u) sum += x;
    }
  }
  return sum;
}

double run(const Options& options, std::uint64_t paths) {
  const unsigned threads = static_cast<unsigned>(std::min<std::uint64_t>(options.threads, paths));
  std::vector<double> sums(threads, 0.0);
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    const std::uint64_t first = paths * t / threads;
    const std::uint64_t last = paths * (t + 1) / threads;
    workers.emplace_back([&options, &sums, t, first, last] { sums[t] = draw(options, first, last); });
  }
  for (auto& worker : workers) worker.join();
  double checksum = 0.0;
  for (const double s : sums) checksum += s;
  return checksum;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"normal_floor: the floor of drawing the pool's normals"};
  add_options(app, options);
  CLI11_PARSE(app, argc, argv);
  try {
    run(options, std::min<std::uint64_t>(options.paths, 20'000));  // warm up threads, caches and clocks
    const auto start = std::chrono::steady_clock::now();
    const double checksum = run(options, options.paths);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "{\"paths\": %llu, \"seconds\": %.9g, \"threads\": %u, \"mode\": \"%s\", \"checksum\": %.17g, "
        "\"simd_target\": \"%s\"}\n",
        static_cast<unsigned long long>(options.paths), seconds,
        static_cast<unsigned>(std::min<std::uint64_t>(options.threads, options.paths)), options.mode.c_str(), checksum,
        computedebt::simd_target().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "normal_floor: " << e.what() << '\n';
    return 1;
  }
}
