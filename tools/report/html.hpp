// Text helpers for the HTML report: escaping (every name from a CSV or scenario goes
// through `escape`), locale-independent number formatting, human units for bytes and
// counts, UTC clock labels and "nice" axis ticks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcsim::tools::report {

/// Escapes &, <, >, " and ' so the text is safe in element content and quoted attributes.
std::string escape(std::string_view s);

/// At most `max_chars` UTF-8 characters, with "…" when cut (never splits a character).
std::string truncate_chars(std::string_view s, std::size_t max_chars);

/// Fixed-point with '.', trailing zeros (and a trailing '.') trimmed; -0 prints as 0.
std::string num(double v, int max_decimals);
/// An SVG coordinate or length: num with one decimal.
inline std::string px(double v) { return num(v, 1); }

/// 5387726244520067 → "5.39 PB" (decimal units).
std::string human_bytes(double bytes);
/// 2705504000 → "2.71 bn"; 12400 → "12.4 k".
std::string human_count(double n);
/// 0.978633 → "97.9%", 0.03 → "3.0%"; tiny non-zero shares keep two significant digits ("0.00081%").
std::string percent(double share);
/// "18:00" for a Unix time (UTC); "24:00" at the end of the first day, "+1d 02:00" past it
/// (days counted from the one holding `day0_s`).
std::string utc_clock(double unix_s, double day0_s);

/// Axis ticks 0, step, 2·step, … ≥ `max` with step in {1, 2, 2.5, 5}·10^k and about `count` ticks.
std::vector<double> nice_ticks(double max, int count);

/// A colour-blind-safe palette (Okabe–Ito, then Tableau-like extras), cycled.
const std::string& palette(std::size_t i);

}  // namespace dcsim::tools::report
