// A double-quoted literal with C-style escapes, shared by the two text formats dcsim
// writes: YAML (sweep run scenarios) and JSON (manifests, plans). They differ only in how
// a control character is spelled: YAML "\x1f", JSON "\u001f".
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace dcsim::models {

enum class ControlEscape { YamlHex, JsonUnicode };

inline std::string double_quoted(std::string_view s, ControlEscape control) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, control == ControlEscape::JsonUnicode ? "\\u%04x" : "\\x%02x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace dcsim::models
