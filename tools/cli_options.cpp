// Validators for number and path options, and the unknown-command message.
#include "tools/cli_options.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "models/scenario/doc_reader.hpp"

namespace dcsim::tools {

namespace {

// A number as a planner would read it: no exponent, no trailing zeros.
std::string plain(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string got(const std::string& text) { return " (got '" + (text.size() > 40 ? text.substr(0, 40) + "…" : text) + "')"; }

}  // namespace

CLI::Validator whole_number(std::int64_t min, std::int64_t max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        std::string_view digits = text;
        if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        const bool whole = !digits.empty() && digits.front() != '-' && end == digits.data() + digits.size();
        if (!whole || ec != std::errc() || v < min || v > max) return "must be a whole number from " + range + got(text);
        text = std::to_string(v);  // what CLI11 then converts: no '+'
        return {};
      },
      "from " + range, "whole number");
}

CLI::Validator number_between(double min, double max) {
  const std::string range = plain(min) + " to " + plain(max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        double v = 0;
        const char* first = text.data() + (!text.empty() && text.front() == '+' ? 1 : 0);
        const auto [end, ec] = std::from_chars(first, text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < min || v > max)
          return "must be a number from " + range + got(text);
        return {};
      },
      "from " + range, "number");
}

CLI::Validator non_empty_path() {
  return CLI::Validator([](std::string& text) -> std::string { return text.empty() ? "must not be empty (name a folder or file)" : ""; },
                        "", "non-empty path");
}

std::string unknown_command_message(const CLI::App& app, const std::string& word) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  for (const auto& n : names)
    if (n == word) return {};
  std::string msg = "dcsim: unknown command '" + word + "'; the commands are:";
  for (std::size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : " ") + names[i];
  if (auto s = models::did_you_mean(word, names)) msg += "; did you mean '" + *s + "'?";
  return msg + "\nRun 'dcsim --help' for what each does.";
}

}  // namespace dcsim::tools
