// SourceLocation: the file and line of a call, for the engine's precondition messages.
// It is std::source_location wherever the standard library provides one (g++ 12, the
// build everyone uses). clang 14 with Debian 12's libstdc++ 12 ships <source_location> but
// leaves it empty, because that clang lacks __builtin_source_location; the fuzz build uses
// that clang, so there the stand-in below, built on __builtin_FILE/__builtin_LINE (which
// clang and GCC have had for years), gives the same two answers.
#pragma once

#include <cstdint>
#include <version>

#if defined(__cpp_lib_source_location)
#include <source_location>

namespace dcsim::sim {
using SourceLocation = std::source_location;
}  // namespace dcsim::sim

#else

namespace dcsim::sim {

/// What the engine reads of std::source_location. As a default argument, current()'s own
/// default arguments are evaluated where the outer call is written, as the standard's are.
class SourceLocation {
 public:
  static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                          std::uint_least32_t line = __builtin_LINE()) noexcept {
    SourceLocation here;
    here.file_ = file;
    here.line_ = line;
    return here;
  }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr std::uint_least32_t line() const noexcept { return line_; }

 private:
  const char* file_ = "";
  std::uint_least32_t line_ = 0;
};

}  // namespace dcsim::sim

#endif
