#include "lsp/own_edits.hpp"

#include <algorithm>
#include <cctype>

#include "lsp/convert.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

// At most this many edit sets per document: VS Code asks for code actions at every cursor move.
constexpr size_t kMaxSets = 32;

}  // namespace

std::string expand_snippet(std::string_view s) {
  std::string out;
  size_t depth = 0;  // inside ${N:...}: the closing brace ends the placeholder, not the text
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '$' || s[i + 1] == '}' || s[i + 1] == '\\')) {
      out += s[++i];
    } else if (c == '$' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;  // $1: empty tab stop
    } else if (c == '$' && i + 2 < s.size() && s[i + 1] == '{' && std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
      i += 2;
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
      if (i + 1 < s.size() && s[i + 1] == ':') ++i;  // ${1:text}: the text stays
      ++depth;
    } else if (c == '}' && depth > 0) {
      --depth;
    } else {
      out += c;
    }
  }
  return out;
}

void OwnEdits::remember(const json& workspace_edit, const DocumentLookup& lookup, document::Encoding enc) {
  if (!workspace_edit.is_object()) return;
  auto add = [&](const std::string& uri, const json& edits) {
    const document::Document* doc = lookup(uri);
    if (!doc || !edits.is_array()) return;
    std::vector<ByteEdit> set;
    for (const auto& e : edits) {
      if (!e.is_object() || !e.contains("range")) return;  // a file operation or something unknown
      const auto range = range_from_json(e.at("range"));
      ByteEdit b;
      b.start = doc->lines().offset_of(doc->text(), range.start, enc);
      b.end = doc->lines().offset_of(doc->text(), range.end, enc);
      if (b.end < b.start) std::swap(b.start, b.end);
      if (auto t = e.find("newText"); t != e.end() && t->is_string()) b.text = t->get<std::string>();
      else if (auto sn = e.find("snippet"); sn != e.end() && sn->is_object())
        b.text = expand_snippet(sn->value("value", ""));
      else return;
      set.push_back(std::move(b));
    }
    if (set.empty()) return;
    std::sort(set.begin(), set.end(), [](const ByteEdit& a, const ByteEdit& b) { return a.start < b.start; });
    auto& pending = by_uri_[uri];
    if (pending.version != doc->version()) pending = {doc->version(), {}};
    if (std::find_if(pending.sets.begin(), pending.sets.end(), [&](const auto& s) {
          return s.size() == set.size() && std::equal(s.begin(), s.end(), set.begin(), [](const ByteEdit& x, const ByteEdit& y) {
                   return x.start == y.start && x.end == y.end && x.text == y.text;
                 });
        }) != pending.sets.end())
      return;
    pending.sets.push_back(std::move(set));
    if (pending.sets.size() > kMaxSets) pending.sets.erase(pending.sets.begin());
  };
  if (auto changes = workspace_edit.find("changes"); changes != workspace_edit.end() && changes->is_object())
    for (const auto& [uri, edits] : changes->items()) add(uri, edits);
  if (auto dc = workspace_edit.find("documentChanges"); dc != workspace_edit.end() && dc->is_array())
    for (const auto& change : *dc)
      if (change.is_object() && change.contains("textDocument") && change.contains("edits"))
        add(change["textDocument"].value("uri", ""), change["edits"]);
}

bool OwnEdits::pending(const std::string& uri, int64_t version) const {
  auto it = by_uri_.find(uri);
  return it != by_uri_.end() && it->second.version == version && !it->second.sets.empty();
}

bool OwnEdits::applied(const std::string& uri, int64_t version, std::string_view before, std::string_view after) {
  auto node = by_uri_.extract(uri);
  if (node.empty() || node.mapped().version != version) return false;
  for (const auto& set : node.mapped().sets) {
    // Cheap test first: the length the edits would give.
    int64_t size = static_cast<int64_t>(before.size());
    bool fits = true;
    uint32_t last_end = 0;
    for (const auto& e : set) {
      if (e.start < last_end || e.end > before.size()) fits = false;  // overlapping or out of range
      last_end = e.end;
      size += static_cast<int64_t>(e.text.size()) - static_cast<int64_t>(e.end - e.start);
    }
    if (!fits || size != static_cast<int64_t>(after.size())) continue;
    std::string result;
    result.reserve(after.size());
    uint32_t at = 0;
    for (const auto& e : set) {
      result.append(before.substr(at, e.start - at));
      result += e.text;
      at = e.end;
    }
    result.append(before.substr(at));
    if (result == after) return true;
  }
  return false;
}

}  // namespace vigil::lsp
