// libFuzzer target for the JSON reader behind manifest.json and sweep.json: the bytes as a
// JSON document (walked as the readers walk it), as a sweep plan, and as a string that
// json_quote must write so that parse_json reads it back unchanged. JsonError and SweepError
// are the expected failures; any crash, sanitizer report or other exception is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/json.hpp"
#include "tools/sweep/sweep_plan.hpp"

using namespace dcsim::tools;

namespace {

std::size_t walk(const JsonValue& v) {
  std::size_t n = 1;
  for (const auto& item : v.items) n += walk(item);
  for (const auto& [key, value] : v.members) {
    if (v.find(key) == nullptr) std::abort();  // every member is found by its key
    (void)v.get(key, "fallback");
    n += walk(value);
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)walk(parse_json(text));
  } catch (const JsonError& e) {
    if (e.offset > text.size()) std::abort();  // the offset points into the text
    (void)json_line_of(text, e.offset);
  }
  try {
    const SweepPlan plan = parse_plan_json(text, "sweep.json");
    (void)plan_mismatch(plan, plan, "a", "b");
    for (const auto& r : plan.runs) (void)r.label();
  } catch (const SweepError& e) {
    (void)e.what();
  }
  const JsonValue back = parse_json(json_quote(text));
  if (back.kind != JsonValue::Kind::String || back.text != text) std::abort();
  return 0;
}
