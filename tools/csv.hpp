// RFC 4180 CSV: a reader that remembers each row's line (for error messages) and the field
// quoting writers use. Numbers are formatted with fixed precision and '.' as decimal point,
// independent of the locale, so outputs are byte-identical across machines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::tools {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  ///< 1-based line where each row starts
};

struct CsvError {
  int line = 0;
  std::string message;
};

/// Parses CSV text with a header row (a leading UTF-8 byte-order mark is skipped). Throws
/// CsvError on unbalanced quotes or rows whose field count differs from the header's.
CsvTable parse_csv(std::string_view text);

/// A field as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view s);
/// Fixed-point number; -0 prints as 0; non-finite values print as empty fields.
std::string csv_number(double v, int decimals);
/// A Unix time as ISO 8601 UTC: 2023-06-14T18:00:00Z.
std::string utc_text(std::int64_t unix_s);
/// The shortest decimal text that reads back as exactly `v` (coordinates, user counts: a
/// reader must get the run's own numbers); non-finite values print as empty fields.
std::string csv_exact(double v);
/// One CSV line (with "\n") from fields that are already formatted.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace dcsim::tools
