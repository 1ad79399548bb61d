#include "trace_table.hpp"

#include <fmt/format.h>

#include <cmath>

#include "printable.hpp"

namespace computedebt::cli {

namespace {

std::string millions(double x) { return fmt::format("{:.2f}", x / 1e6); }
std::string ratio(double x) { return std::isfinite(x) ? fmt::format("{:.3f}", x) : (std::isnan(x) ? "-" : "inf"); }

std::string waterfall_table(const engine::TracedWaterfall& w) {
  std::string out = "\nBy payment date (millions)\n";
  out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>9}", "date", "revenue", "recovery", "sales", "costs");
  for (const auto& tranche : w.tranches) out += fmt::format(" {:>14}", printable(tranche).substr(0, 14));
  for (const auto& account : w.accounts) out += fmt::format(" {:>10}", printable(account).substr(0, 10));
  out += fmt::format(" {:>9} {:>7} {:>7}  {}\n", "equity", "DSCR", "LTV", "breached");
  for (std::size_t m = 0; m < w.payment_dates.size(); ++m) {
    out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>9}", w.payment_dates[m], millions(w.revenue[m]),
                       millions(w.recoveries[m]), millions(w.sales[m]), millions(w.costs[m]));
    for (std::size_t t = 0; t < w.tranches.size(); ++t)
      out += fmt::format(" {:>14}", millions(w.interest[t][m] + w.principal[t][m]));
    for (std::size_t a = 0; a < w.accounts.size(); ++a)
      out += fmt::format(" {:>10}", millions(w.account_balance[a][m]));
    std::string breached;
    for (std::size_t c = 0; c < w.covenants.size(); ++c)
      if (w.breached[c][m]) breached += (breached.empty() ? "" : ", ") + printable(w.covenants[c]);
    out += fmt::format(" {:>9} {:>7} {:>7}  {}\n", millions(w.distributions[m] - w.cures_paid_in[m]), ratio(w.dscr[m]),
                       ratio(w.ltv[m]), breached);
  }
  out +=
      "\nTranche columns: interest and principal paid; accounts: balance after the date; equity: distributions "
      "less cures paid in.\n";
  out += "\nSteps that moved cash (millions; negative: released into the cash on hand)\n";
  for (const auto& step : w.steps)
    if (step.amount != 0.0)
      out += fmt::format("{:<10} {:<44} {:>10}{}\n", step.date, printable(step.step), millions(step.amount),
                         step.after_enforcement ? "  after enforcement" : "");
  out += fmt::format(
      "\nEvent of default {}   equity IRR {:.3f}%   money multiple {:.3f}   collateral value at "
      "maturity {}m\n",
      w.event_of_default.empty() ? "none" : w.event_of_default, 100 * w.equity_irr, w.money_multiple,
      millions(w.collateral_value));
  return out;
}

}  // namespace

std::string trace_table(const engine::PathTrace& trace) {
  std::string out =
      fmt::format("{}: path {} of seed {}, weight {:.6g}, portfolio loss {:.3f}%\n", printable(trace.deal), trace.path,
                  trace.seed, trace.weight, 100 * trace.portfolio_loss);
  out += fmt::format("\nDefaults ({})\n", trace.defaults.size());
  for (const auto& d : trace.defaults)
    out += fmt::format("  {:<24} month {:>3}  {}\n", printable(d.counterparty), d.month, d.date);
  out += "\nTranche losses\n";
  for (std::size_t t = 0; t < trace.tranches.size(); ++t)
    out += fmt::format("  {:<24} {:.4f}%\n", printable(trace.tranches[t]), 100 * trace.tranche_loss[t]);
  if (!trace.gpu_types.empty()) {
    out += "\nGPU market multipliers\n";
    for (std::size_t g = 0; g < trace.gpu_types.size(); ++g) {
      out += fmt::format("  {:<12}", printable(trace.gpu_types[g]));
      for (std::size_t d = 0; d < trace.gpu_dates.size(); d += std::max<std::size_t>(1, trace.gpu_dates.size() / 8))
        out += fmt::format(" {} {:.3f}", trace.gpu_dates[d], trace.gpu_multiplier[g][d]);
      out += "\n";
    }
  }
  // The power, gas and capacity prices, at the same dates as the GPU multipliers.
  const auto row = [&](const std::string& label, const std::vector<double>& values, const char* format) {
    out += fmt::format("  {:<12}", printable(label));
    for (std::size_t d = 0; d < trace.gpu_dates.size(); d += std::max<std::size_t>(1, trace.gpu_dates.size() / 8))
      out += fmt::format(" {} ", trace.gpu_dates[d]) + fmt::format(fmt::runtime(format), values[d]);
    out += "\n";
  };
  if (!trace.power_markets.empty()) {
    out += "\nPower price per MWh\n";
    for (std::size_t m = 0; m < trace.power_markets.size(); ++m)
      row(trace.power_markets[m], trace.power_price[m], "{:.2f}");
  }
  if (!trace.gas_price.empty()) {
    out += "\nGas price per MMBtu\n";
    row("gas", trace.gas_price, "{:.2f}");
  }
  if (!trace.capacity_multiplier.empty()) {
    out += "\nCapacity market multiplier\n";
    row("capacity", trace.capacity_multiplier, "{:.3f}");
  }
  if (trace.waterfall) out += waterfall_table(*trace.waterfall);
  return out;
}

}  // namespace computedebt::cli
