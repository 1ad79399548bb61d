#pragma once
/// \file
/// The library's error types and the `require` helper.

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace computedebt {

/// Base of every error the library throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One problem found in an input: where it is and what was expected.
struct Problem {
  /// JSON path of the offending value, e.g. `deal.contracts[3].end_date`; empty for the whole document.
  std::string path;
  /// What is wrong and what was expected.
  std::string message;

  bool operator==(const Problem&) const = default;
};

/// Formats a problem as one line: `path: message`, or the message alone for the whole document.
std::string to_string(const Problem& problem);

/// Bad input: a deal file, assumptions or scenario that is refused. Carries every problem found.
class InputError : public Error {
 public:
  /// \pre `problems` is not empty.
  explicit InputError(std::vector<Problem> problems);

  /// Every problem found, in document order.
  const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

/// A model or numerical failure that is not the input's fault (a violated engine precondition).
class ModelError : public Error {
 public:
  using Error::Error;
};

/// Throws `ModelError` with the formatted message unless `condition` holds.
///
/// Example: `require(n > 0, "expected at least one path, got {}", n);`
template <class... Args>
void require(bool condition, fmt::format_string<Args...> format, Args&&... args) {
  if (!condition) throw ModelError(fmt::format(format, std::forward<Args>(args)...));
}

/// Throws `InputError` with one problem at `path` (a setting's name, e.g. `importance_shift`) and the formatted
/// message unless `condition` holds: for settings the caller chose, as `require` is for the engine's own state.
///
/// Example: `require_input(paths > 0, "paths", "expected at least one path, got {}", paths);`
template <class... Args>
void require_input(bool condition, std::string path, fmt::format_string<Args...> format, Args&&... args) {
  if (!condition) throw InputError({Problem{std::move(path), fmt::format(format, std::forward<Args>(args)...)}});
}

}  // namespace computedebt
