// The shared double-quoted literal: escapes both formats agree on, and the one spelling
// they differ in (control characters).
#include <doctest/doctest.h>

#include <string>

#include "models/scenario/quoting.hpp"

using dcsim::models::ControlEscape;
using dcsim::models::double_quoted;

TEST_CASE("double_quoted escapes quotes, backslashes and control characters per format") {
  const std::string text = std::string("a\"b\\c\nd\re\tf") + '\x01' + "g\x1f" + "é";
  CHECK(double_quoted(text, ControlEscape::YamlHex) == "\"a\\\"b\\\\c\\nd\\re\\tf\\x01g\\x1fé\"");
  CHECK(double_quoted(text, ControlEscape::JsonUnicode) == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fé\"");
  CHECK(double_quoted("", ControlEscape::JsonUnicode) == "\"\"");
}
