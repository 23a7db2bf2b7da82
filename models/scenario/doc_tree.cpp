// YAML text → DocNode tree, the one place yaml-cpp is used. We consume yaml-cpp's parser
// events ourselves instead of YAML::Load, because Load builds yaml-cpp's own node graph
// without bounds: some malformed inputs make yaml-cpp 0.7 emit empty documents forever
// (found by tests/fuzz), and aliases can expand exponentially. Here every event and every
// node counts against a budget, and a second document stops parsing at once.
// yaml-cpp's marks are 0-based; ours are 1-based like every editor.
#include "models/scenario/doc_tree.hpp"

#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
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

constexpr std::size_t kMaxDepth = 64;
constexpr long kMaxNodes = 2'000'000;  // after alias expansion

long count_nodes(const DocNode& n) {
  long c = 1;
  for (const auto& i : n.items) c += count_nodes(i);
  for (const auto& e : n.entries) c += count_nodes(e.value);
  return c;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::shared_ptr<const std::string> file) : file_(std::move(file)) {}

  bool has_document() const { return documents_ > 0; }
  DocNode take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) fail(mark, "more than one YAML document ('---') in one file");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    DocNode n;
    n.loc = loc(mark);
    add(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "alias to an anchor that is not complete yet");
    nodes_ += count_nodes(it->second);
    if (nodes_ > kMaxNodes) fail(mark, "document expands to more than 2000000 nodes (aliases?)");
    add(DocNode(it->second), 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    DocNode n;
    n.kind = DocNode::Kind::Scalar;
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp tags quoted scalars "!", plain ones "?"
    n.loc = loc(mark);
    add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(DocNode::Kind::Sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(DocNode::Kind::Map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    DocNode node;
    YAML::anchor_t anchor = 0;
    bool have_key = false;  // maps: the next node is the value of `key`
    std::string key;
    SourceLoc key_loc;
  };

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) {
    throw YamlSyntaxError{loc(mark), message};
  }

  SourceLoc loc(const YAML::Mark& m) const {
    if (m.is_null()) return SourceLoc{file_, 0, 0};
    return SourceLoc{file_, m.line + 1, m.column + 1};
  }

  void count(const SourceLoc& at) {
    if (++nodes_ > kMaxNodes) throw YamlSyntaxError{at, "document has more than 2000000 nodes"};
  }

  void open(DocNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame f;
    f.node.kind = kind;
    f.node.loc = loc(mark);
    f.anchor = anchor;
    count(f.node.loc);
    if (stack_.size() >= kMaxDepth)
      throw YamlSyntaxError{f.node.loc, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"};
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.node.kind == DocNode::Kind::Map && f.have_key)
      throw YamlSyntaxError{f.key_loc, "key without a value"};
    add(std::move(f.node), f.anchor, /*counted=*/true);
  }

  // Places a finished node: as the document root, a list item, a map key or a map value.
  void add(DocNode n, YAML::anchor_t anchor, bool counted = false) {
    if (!counted) count(n.loc);
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == DocNode::Kind::Sequence) {
      top.node.items.push_back(std::move(n));
    } else if (!top.have_key) {
      if (!n.is_scalar() && !n.is_null())
        throw YamlSyntaxError{n.loc, "a key must be a plain name, not a " + std::string(kind_name(n.kind))};
      top.key = n.scalar;
      top.key_loc = n.loc;
      top.have_key = true;
    } else {
      top.node.entries.push_back(DocEntry{std::move(top.key), top.key_loc, std::move(n)});
      top.have_key = false;
    }
  }

  std::shared_ptr<const std::string> file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, DocNode> anchors_;
  DocNode root_;
  int documents_ = 0;
  long nodes_ = 0;
};

}  // namespace

DocNode parse_yaml(std::string_view text, const std::shared_ptr<const std::string>& file) {
  TreeBuilder builder(file);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    const SourceLoc at = e.mark.is_null() ? SourceLoc{file, 0, 0}
                                          : SourceLoc{file, e.mark.line + 1, e.mark.column + 1};
    throw YamlSyntaxError{at, e.msg};
  }
  if (!builder.has_document()) return DocNode{DocNode::Kind::Null, {}, false, {}, {}, SourceLoc{file, 1, 1}};
  return builder.take_root();
}

}  // namespace dcsim::models
