// Human-readable rendering of simulation durations for logs and messages.
#include "sim/time.hpp"

#include <cstdio>

namespace dcsim::sim {

std::string format(SimDuration d) {
  std::int64_t n = d.count();
  const bool negative = n < 0;
  // Negate through unsigned so INT64_MIN does not overflow.
  std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  const std::uint64_t frac = u % 1'000'000'000ULL;
  std::uint64_t secs = u / 1'000'000'000ULL;
  const std::uint64_t day = secs / 86'400;
  secs %= 86'400;
  char buf[64];
  int len = 0;
  if (day > 0) {
    len = std::snprintf(buf, sizeof buf, "%s%llud %02llu:%02llu:%02llu", negative ? "-" : "",
                        static_cast<unsigned long long>(day),
                        static_cast<unsigned long long>(secs / 3600),
                        static_cast<unsigned long long>(secs / 60 % 60),
                        static_cast<unsigned long long>(secs % 60));
  } else {
    len = std::snprintf(buf, sizeof buf, "%s%02llu:%02llu:%02llu", negative ? "-" : "",
                        static_cast<unsigned long long>(secs / 3600),
                        static_cast<unsigned long long>(secs / 60 % 60),
                        static_cast<unsigned long long>(secs % 60));
  }
  std::string out(buf, static_cast<std::size_t>(len));
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09llu", static_cast<unsigned long long>(frac));
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  return out;
}

}  // namespace dcsim::sim
