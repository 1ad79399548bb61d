#include "price_table.hpp"

#include <fmt/format.h>

namespace computedebt::cli {

namespace {
std::string percent(double x) { return fmt::format("{:.3f}%", 100.0 * x); }
}  // namespace

std::string price_table(const pricing::Results& results) {
  const auto& p = results.portfolio;
  std::string out = fmt::format("{}: {} paths, seed {}, {} threads, {:.2f} s\n\n", results.deal, results.paths,
                                results.seed, results.threads, results.elapsed_seconds);
  out += fmt::format("Portfolio loss   mean {} (s.e. {})\n", percent(p.expected_loss), percent(p.expected_loss_stderr));
  out += fmt::format("                 VaR 99% {}   ES 99% {}   VaR 99.9% {}   ES 99.9% {}\n", percent(p.loss_var_99),
                     percent(p.loss_es_99), percent(p.loss_var_999), percent(p.loss_es_999));
  out += fmt::format("Defaults         mean {:.3f} (s.e. {:.3f}) counterparties\n", p.expected_defaults,
                     p.expected_defaults_stderr);
  if (results.tranches.empty()) return out;
  out += fmt::format("\n{:<24} {:>8} {:>8} {:>11} {:>10} {:>10} {:>9}\n", "tranche", "attach", "detach", "exp. loss",
                     "s.e.", "P(loss)", "LGD");
  for (const auto& t : results.tranches)
    out += fmt::format("{:<24} {:>8} {:>8} {:>11} {:>10} {:>10} {:>9}\n", t.name,
                       fmt::format("{:.2f}%", 100 * t.attachment), fmt::format("{:.2f}%", 100 * t.detachment),
                       percent(t.expected_loss), percent(t.expected_loss_stderr), percent(t.default_probability),
                       percent(t.loss_given_default));
  return out;
}

}  // namespace computedebt::cli
