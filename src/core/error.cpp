#include <computedebt/core/error.hpp>

#include <cassert>

namespace computedebt {

std::string to_string(const Problem& problem) {
  return problem.path.empty() ? problem.message : problem.path + ": " + problem.message;
}

namespace {
std::string join_lines(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    if (!text.empty()) text += '\n';
    text += to_string(problem);
  }
  return text;
}
}  // namespace

InputError::InputError(std::vector<Problem> problems) : Error(join_lines(problems)), problems_(std::move(problems)) {
  assert(!problems_.empty());
}

}  // namespace computedebt
