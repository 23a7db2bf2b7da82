// Checks of command-line values, with messages in plain words and plain numbers: a usage
// error (exit 2) names the option, what it accepts and what it got, e.g.
//   --seed: must be a whole number from 0 to 9000000000000000000 (got '-1')
// instead of CLI11's "Value -1 not in range 0.000000 to 1797…" (a 309-digit number).
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace dcsim::tools {

/// The bounds the scenario loader puts on meta.seed and meta.scale, for the options that
/// override them (--seed, --scale, --winner-scale): a value the option accepts never fails
/// later as a "--set" the user did not write.
inline constexpr std::int64_t kMaxSeed = 9'000'000'000'000'000'000;
inline constexpr std::int64_t kMaxScale = 1'000'000;

/// A whole number (digits only, an optional leading '+') in [min, max].
CLI::Validator whole_number(std::int64_t min, std::int64_t max);
/// A decimal number in [min, max].
CLI::Validator number_between(double min, double max);
/// A non-empty path (an empty -o would silently mean "the default folder").
CLI::Validator non_empty_path();

/// Exit code and message for argv[1] when it is not a command (nor an option): "unknown
/// command 'frobnicate'; the commands are: ...", with a did-you-mean. Empty when it is one.
std::string unknown_command_message(const CLI::App& app, const std::string& word);

}  // namespace dcsim::tools
