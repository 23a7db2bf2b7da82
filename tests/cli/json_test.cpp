// The JSON dcsim writes (json_quote, byte for byte as run folders and sweep plans have
// always held it) and reads (nlohmann::json behind parse_json and JsonFields): round trips,
// bytes that are not UTF-8, and errors that name the line and the key.
#include <doctest/doctest.h>

#include <string>

#include "tools/json.hpp"

namespace dcsim::test {

namespace {

tools::JsonError error_of(const std::string& text) {
  try {
    (void)tools::parse_json(text);
  } catch (const tools::JsonError& e) {
    return e;
  }
  FAIL("no error for " << text);
  return {};
}

template <class Read>
tools::JsonError field_error(const std::string& text, Read read) {
  const nlohmann::json j = tools::parse_json(text);
  try {
    read(tools::JsonFields(j, text));
  } catch (const tools::JsonError& e) {
    return e;
  }
  FAIL("no error reading " << text);
  return {};
}

}  // namespace

TEST_CASE("json_quote escapes quotes, backslashes and control characters and passes everything else through") {
  CHECK(tools::json_quote("plain") == "\"plain\"");
  CHECK(tools::json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(tools::json_quote("\n\r\t") == "\"\\n\\r\\t\"");
  CHECK(tools::json_quote(std::string("\x01\x1f\0", 3)) == "\"\\u0001\\u001f\\u0000\"");
  CHECK(tools::json_quote("Tromsø /é\x7f") == "\"Tromsø /é\x7f\"");
}

TEST_CASE("what json_quote writes, parse_json reads back unchanged") {
  for (const std::string& s : {std::string("scenarios/clover.yaml"), std::string("a\"b\\c\n\t"), std::string("\x01 \x1f", 3),
                              std::string("Zürich, 東京, 🙂"), std::string()}) {
    CAPTURE(s);
    const nlohmann::json j = tools::parse_json(tools::json_quote(s));
    REQUIRE(j.is_string());
    CHECK(j.get<std::string>() == s);
  }
}

TEST_CASE("bytes that are not UTF-8 are read as Latin-1 characters, not refused") {
  // A path such as /tmp/caf\xe9 is legal on Linux, and json_quote writes it as it is.
  const nlohmann::json j = tools::parse_json("{\"path\": \"/tmp/caf\xe9\", \"name\": \"ok \xc3\xa9\"}");
  CHECK(j["path"].get<std::string>() == "/tmp/caf\xc3\xa9");
  CHECK(j["name"].get<std::string>() == "ok \xc3\xa9");
  // A sequence cut short, an overlong form and a surrogate are each read byte by byte.
  CHECK(tools::parse_json("\"\xe2\x82\"").get<std::string>() == "\xc3\xa2\xc2\x82");
  CHECK(tools::parse_json("\"\xc0\xaf\"").get<std::string>() == "\xc3\x80\xc2\xaf");
  CHECK(tools::parse_json("\"\xed\xa0\x80\"").get<std::string>() == "\xc3\xad\xc2\xa0\xc2\x80");
}

TEST_CASE("malformed JSON is an error with the line it was found on") {
  const tools::JsonError cut = error_of("{\n  \"a\": 1,\n  \"b\": \n");
  CHECK(cut.line == 4);
  CHECK(cut.message.find("unexpected end of input") != std::string::npos);
  const tools::JsonError comma = error_of("{\n  \"a\": 1,\n  \"b\": ,\n}\n");
  CHECK(comma.line == 3);
  CHECK(comma.message.find("json.exception") == std::string::npos);
  CHECK(error_of("[1e400]").message.find("number overflow") != std::string::npos);
  CHECK(error_of("").line == 1);
}

TEST_CASE("a missing key or a key of the wrong type is named, with the line it is on") {
  const std::string text = "{\n  \"name\": \"run\",\n  \"seed\": -1,\n  \"list\": [\"a\", 2]\n}\n";
  const tools::JsonError seed = field_error(text, [](const tools::JsonFields& f) { (void)f.whole_number("seed"); });
  CHECK(seed.line == 3);
  CHECK(seed.message == "seed: must be a whole number from 0 (got -1)");
  const tools::JsonError name = field_error(text, [](const tools::JsonFields& f) { (void)f.number("name"); });
  CHECK(name.line == 2);
  CHECK(name.message == "name: must be a number (got \"run\")");
  const tools::JsonError list = field_error(text, [](const tools::JsonFields& f) { (void)f.texts("list"); });
  CHECK(list.line == 4);
  CHECK(list.message == "list: must hold strings only (got 2)");
  CHECK(field_error(text, [](const tools::JsonFields& f) { (void)f.text("scale"); }).message == "scale: missing");
  const nlohmann::json j = tools::parse_json(text);
  CHECK(tools::JsonFields(j, text).signed_number("seed") == -1);
  CHECK(tools::JsonFields(j, text).text("name") == "run");
}

}  // namespace dcsim::test
