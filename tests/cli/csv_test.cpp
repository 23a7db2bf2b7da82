// The RFC 4180 reader and writer used by dcsim's CSV input and output.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "tools/csv.hpp"

using namespace dcsim::tools;

TEST_CASE("csv parsing handles quotes, doubled quotes, CRLF and embedded newlines") {
  const CsvTable t = parse_csv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z\n");
  CHECK(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "x, y");
  CHECK(t.rows[0][2] == "say \"hi\"");
  CHECK(t.rows[1][1] == "two\nlines");
  CHECK(t.row_lines == std::vector<int>{2, 3});
}

TEST_CASE("csv parsing rejects ragged rows and unclosed quotes with their line") {
  CHECK_THROWS_AS(parse_csv("a,b\n1\n"), CsvError);
  try {
    parse_csv("a,b\n1,2\n3,\"open\n");
    FAIL("expected an error");
  } catch (const CsvError& e) {
    CHECK(e.line == 3);
  }
  CHECK_THROWS_AS(parse_csv(""), CsvError);
}

TEST_CASE("csv fields are quoted only when needed and numbers are locale-free") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("q\"") == "\"q\"\"\"");
  CHECK(csv_number(1.23456, 2) == "1.23");
  CHECK(csv_number(-0.0001, 2) == "0.00");
  CHECK(csv_number(1.0 / 0.0, 2).empty());
  const CsvTable round = parse_csv(csv_line({"h1", "h2"}) + csv_line({csv_field("x,\"y\""), csv_number(2.5, 1)}));
  CHECK(round.rows[0][0] == "x,\"y\"");
}

TEST_CASE("csv_exact writes the shortest text that reads back as the same double") {
  CHECK(csv_exact(53.35) == "53.35");
  CHECK(csv_exact(-6.2603) == "-6.2603");
  CHECK(csv_exact(1234567.0) == "1234567");
  CHECK(csv_exact(std::nan("")).empty());
  for (const double v : {0.1 + 0.2, 1.0 / 3.0, 48.8566140, 2.5e-9, 123456789.123456789}) {
    CAPTURE(v);
    CHECK(std::stod(csv_exact(v)) == v);
  }
}
