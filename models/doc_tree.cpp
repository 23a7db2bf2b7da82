// YAML text → DocNode tree, the one place yaml-cpp is used. yaml-cpp's marks are 0-based;
// ours are 1-based like every editor.
#include "models/doc_tree.hpp"

#include <yaml-cpp/yaml.h>

namespace dcsim::models {

const DocNode* DocNode::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

DocNode* DocNode::find(std::string_view key) {
  for (auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::string_view kind_name(DocNode::Kind kind) {
  switch (kind) {
    case DocNode::Kind::Null: return "null";
    case DocNode::Kind::Scalar: return "scalar";
    case DocNode::Kind::Sequence: return "list";
    case DocNode::Kind::Map: return "map";
  }
  return "?";
}

namespace {

constexpr int kMaxDepth = 64;
// Aliases are expanded into copies; this bound stops "billion laughs" documents.
constexpr long kMaxNodes = 2'000'000;

struct Budget {
  long nodes_left = kMaxNodes;
};

SourceLoc loc_of(const YAML::Mark& m, const std::shared_ptr<const std::string>& file) {
  if (m.is_null()) return SourceLoc{file, 0, 0};
  return SourceLoc{file, m.line + 1, m.column + 1};
}

DocNode convert(const YAML::Node& n, const std::shared_ptr<const std::string>& file, int depth,
                Budget& budget) {
  DocNode out;
  out.loc = loc_of(n.Mark(), file);
  if (depth > kMaxDepth)
    throw YamlSyntaxError{out.loc, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"};
  if (--budget.nodes_left < 0)
    throw YamlSyntaxError{out.loc, "document expands to more than " + std::to_string(kMaxNodes) +
                                       " nodes (aliases?)"};
  switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = DocNode::Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      out.kind = DocNode::Kind::Scalar;
      out.scalar = n.Scalar();
      // yaml-cpp tags quoted scalars "!"; plain scalars "?".
      out.quoted = n.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      out.kind = DocNode::Kind::Sequence;
      out.items.reserve(n.size());
      for (const auto& item : n) out.items.push_back(convert(item, file, depth + 1, budget));
      break;
    case YAML::NodeType::Map:
      out.kind = DocNode::Kind::Map;
      for (const auto& kv : n) {
        DocEntry e;
        e.key_loc = loc_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar())
          throw YamlSyntaxError{e.key_loc, "a key must be a plain name, not a " +
                                               std::string(kv.first.IsMap() ? "map" : "list")};
        e.key = kv.first.Scalar();
        e.value = convert(kv.second, file, depth + 1, budget);
        out.entries.push_back(std::move(e));
      }
      break;
  }
  return out;
}

}  // namespace

DocNode parse_yaml(std::string_view text, const std::shared_ptr<const std::string>& file) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.size() > 1)
      throw YamlSyntaxError{loc_of(docs[1].Mark(), file),
                            "more than one YAML document ('---') in one file"};
    if (docs.empty()) return DocNode{DocNode::Kind::Null, {}, false, {}, {}, SourceLoc{file, 1, 1}};
    Budget budget;
    return convert(docs.front(), file, 0, budget);
  } catch (const YAML::Exception& e) {
    throw YamlSyntaxError{loc_of(e.mark, file), e.msg};
  }
}

}  // namespace dcsim::models
