// Loads and calibrates a deal through the installed library; prints the 5-year default probability of the first name.
// Also checks the installed version header against the version find_package found.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/version.hpp>

#include <fmt/format.h>

int main(int argc, char** argv) {
  if (argc != 2) return 1;
  const auto version =
      fmt::format("{}.{}.{}", COMPUTEDEBT_VERSION_MAJOR, COMPUTEDEBT_VERSION_MINOR, COMPUTEDEBT_VERSION_PATCH);
  if (version != COMPUTEDEBT_VERSION_STRING || version != COMPUTEDEBT_PACKAGE_VERSION) return 1;
  const auto plan = computedebt::calibration::calibrate(computedebt::io::load_deal(argv[1]));
  const double pd = 1.0 - plan.credit.survival_at(0, 60);
  fmt::print("{} names, first 5y default probability {:.4f}\n", plan.credit.names, pd);
  return pd > 0.0499 && pd < 0.0501 ? 0 : 1;
}
