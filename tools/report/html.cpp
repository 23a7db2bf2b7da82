// Escaping and number formatting for the report (no locale: '.' decimals everywhere).
#include "tools/report/html.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace dcsim::tools::report {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string truncate_chars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars++ == max_chars) return std::string(s.substr(0, i)) + "…";
  }
  return std::string(s);
}

std::string num(double v, int max_decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", max_decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

namespace {
std::string three_significant(double v) {
  const double a = std::fabs(v);
  return num(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}
}  // namespace

std::string human_bytes(double bytes) {
  static const std::array<const char*, 7> units{"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t u = 0;
  double v = bytes;
  while (std::fabs(v) >= 1000 && u + 1 < units.size()) {
    v /= 1000;
    ++u;
  }
  return three_significant(v) + " " + units[u];
}

std::string human_count(double n) {
  const double a = std::fabs(n);
  if (a >= 1e9) return three_significant(n / 1e9) + " bn";
  if (a >= 1e6) return three_significant(n / 1e6) + " M";
  if (a >= 1e4) return three_significant(n / 1e3) + " k";
  return num(n, 0);
}

std::string percent(double share) {
  const double p = share * 100;
  if (p == 0) return "0%";
  const double a = std::fabs(p);
  if (a >= 0.1) {  // one decimal, kept: 3.0% next to 97.9% in a column
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f%%", p);
    return buf;
  }
  // Two significant digits for small shares, so 0.0008% does not print as 0.0%.
  const int decimals = std::min(12, 1 - static_cast<int>(std::floor(std::log10(a))));
  return num(p, decimals) + "%";
}

std::string utc_clock(double unix_s, double day0_s) {
  const long long t = std::llround(unix_s);
  const long long day = static_cast<long long>(std::floor(day0_s / 86400.0));
  long long d = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const long long sod = t - d * 86400;
  char buf[96];
  if (d == day + 1 && sod == 0)
    std::snprintf(buf, sizeof buf, "24:00");
  else if (d > day)
    std::snprintf(buf, sizeof buf, "+%lldd %02lld:%02lld", d - day, sod / 3600, (sod % 3600) / 60);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", sod / 3600, (sod % 3600) / 60);
  return buf;
}

std::vector<double> nice_ticks(double max, int count) {
  if (!(max > 0) || !std::isfinite(max)) max = 1;
  const double raw = max / std::max(count, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double f : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (f * mag >= raw) {
      step = f * mag;
      break;
    }
  std::vector<double> ticks;
  for (int i = 0; ticks.empty() || ticks.back() < max * (1 - 1e-9); ++i) ticks.push_back(i * step);
  return ticks;
}

const std::string& palette(std::size_t i) {
  static const std::array<std::string, 10> colours{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                                   "#D55E00", "#7A6F00", "#000000", "#8C564B", "#7F7F7F"};
  return colours[i % colours.size()];
}

}  // namespace dcsim::tools::report
