// Formatting and collection of scenario diagnostics.
#include "models/scenario/diagnostics.hpp"

#include <algorithm>

namespace dcsim::models {

std::string format(const Diagnostic& d) {
  std::string out = d.loc.file_name();
  if (d.loc.line > 0) {
    out += ":" + std::to_string(d.loc.line);
    if (d.loc.column > 0) out += ":" + std::to_string(d.loc.column);
  }
  out += ": ";
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message;
  return out;
}

void Diagnostics::error(const SourceLoc& loc, std::string key_path, std::string message) {
  // The latest patch of a path wins: it replaced what earlier ones set.
  for (auto it = path_names_.rbegin(); it != path_names_.rend(); ++it) {
    const auto& [indexed, written] = *it;
    const bool under = key_path.size() == indexed.size() ||
                       (key_path.size() > indexed.size() && (key_path[indexed.size()] == '.' || key_path[indexed.size()] == '['));
    if (under && key_path.compare(0, indexed.size(), indexed) == 0) {
      key_path = written + key_path.substr(indexed.size());
      break;
    }
  }
  items_.push_back(Diagnostic{loc, std::move(key_path), std::move(message)});
}

void Diagnostics::name_path(std::string indexed, std::string written) {
  if (indexed != written) path_names_.emplace_back(std::move(indexed), std::move(written));
}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw ScenarioError(items_);
}

ScenarioError::ScenarioError(std::vector<Diagnostic> diags) : diags_(std::move(diags)) {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string fa = a.loc.file_name(), fb = b.loc.file_name();
    if (fa != fb) return fa < fb;
    if (a.loc.line != b.loc.line) return a.loc.line < b.loc.line;
    return a.loc.column < b.loc.column;
  });
  // The same mistake reached twice (e.g. through a variant) is reported once.
  diags_.erase(std::unique(diags_.begin(), diags_.end(),
                           [](const Diagnostic& a, const Diagnostic& b) {
                             return a.loc.file_name() == b.loc.file_name() &&
                                    a.loc.line == b.loc.line && a.loc.column == b.loc.column &&
                                    a.key_path == b.key_path && a.message == b.message;
                           }),
               diags_.end());
  for (const auto& d : diags_) text_ += format(d) + "\n";
  text_ += std::to_string(diags_.size()) + (diags_.size() == 1 ? " error" : " errors");
}

}  // namespace dcsim::models
