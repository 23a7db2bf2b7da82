// libFuzzer target for the JSON reader behind manifest.json and sweep.json: the bytes as a
// JSON document (walked as the readers walk it), as a sweep plan, and as a string that
// json_quote must write so that parse_json reads it back as a string. JsonError and SweepError
// are the expected failures; any crash, sanitizer report or other exception is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/json.hpp"
#include "tools/sweep/sweep_plan.hpp"

using namespace dcsim::tools;

namespace {

// Every member found by its key, every value walked.
std::size_t walk(const nlohmann::json& v) {
  std::size_t n = 1;
  if (v.is_object())
    for (const auto& [key, value] : v.items()) {
      if (!v.contains(key)) std::abort();
      n += walk(value);
    }
  else if (v.is_array())
    for (const auto& item : v) n += walk(item);
  return n;
}

// The typed field readers on a top-level object: JsonError is their one failure.
void read_fields(const nlohmann::json& v, std::string_view text) {
  if (!v.is_object()) return;
  const JsonFields f(v, text);
  for (const char* key : {"run_id", "seed", "scale", "duration_h", "files", "runs", "overrides"}) {
    try { (void)f.text(key); } catch (const JsonError& e) { if (e.message.empty()) std::abort(); }
    try { (void)f.whole_number(key); } catch (const JsonError& e) { if (e.message.empty()) std::abort(); }
    try { (void)f.signed_number(key); } catch (const JsonError&) {}
    try { (void)f.number(key); } catch (const JsonError&) {}
    try { (void)f.texts(key); } catch (const JsonError&) {}
    try { (void)f.object(key); } catch (const JsonError&) {}
    try { (void)f.array(key); } catch (const JsonError&) {}
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json v = parse_json(text);
    (void)walk(v);
    read_fields(v, text);
  } catch (const JsonError& e) {
    (void)e.message;
  }
  try {
    const SweepPlan plan = parse_plan_json(text, "sweep.json");
    (void)plan_mismatch(plan, plan, "a", "b");
    for (const auto& r : plan.runs) (void)r.label();
  } catch (const SweepError& e) {
    (void)e.what();
  }
  // json_quote writes what parse_json reads back as the same bytes.
  const nlohmann::json back = parse_json(json_quote(text));
  if (!back.is_string()) std::abort();
  // Bytes that are not UTF-8 come back as Latin-1 characters; ASCII comes back as it was.
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii && back.get_ref<const std::string&>() != text) std::abort();
  return 0;
}
