#include "analyzers/match/query_prefilter.hpp"

#include "analyzers/match/words.hpp"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <set>

namespace vigil::match {
namespace {

// The query syntax as tree-sitter reads it (query.c), as far as the words need: nodes `(kind
// children...)`, groups `((a) (b))`, alternations `[a b]`, strings, `field:` prefixes, `!field`,
// `.` anchors, suffixes (`?`, `*`, `+`, `@capture`) in any order, and predicates `(#name args...)`.
struct Item {
  enum class Kind { node, group, alternation, leaf, predicate } kind = Kind::leaf;
  std::vector<Item> children;          // node/group children, alternation branches
  std::vector<std::string> captures;   // the item's own @captures
  bool optional = false;               // `?` or `*`
  std::string name;                    // predicate name
  struct Arg {
    bool capture = false;
    std::string text;
  };
  std::vector<Arg> args;  // predicate arguments
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  // Every top-level pattern; nullopt if the source is not understood.
  std::optional<std::vector<Item>> patterns() {
    std::vector<Item> out;
    for (;;) {
      skip();
      if (i_ >= s_.size()) return out;
      auto item = read_item();
      if (!item) return std::nullopt;
      out.push_back(std::move(*item));
    }
  }

 private:
  static bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '?' || c == '!' ||
           c == '/';
  }

  void skip() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      else if (s_[i_] == ';')
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      else break;
    }
  }

  std::string ident() {
    const size_t start = i_;
    while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }

  // A string literal at i_ ('"'), unescaped as tree-sitter does.
  std::optional<std::string> string() {
    std::string out;
    for (++i_; i_ < s_.size(); ++i_) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c == '\\') {
        if (++i_ >= s_.size()) return std::nullopt;
        c = s_[i_];
        if (c == 'n') c = '\n';
        else if (c == 'r') c = '\r';
        else if (c == 't') c = '\t';
        else if (c == '0') c = '\0';
      }
      out += c;
    }
    return std::nullopt;
  }

  // Items up to the closing `close`, which is consumed.
  std::optional<std::vector<Item>> sequence(char close) {
    std::vector<Item> out;
    for (;;) {
      skip();
      if (i_ >= s_.size()) return std::nullopt;
      if (s_[i_] == close) {
        ++i_;
        return out;
      }
      auto item = read_item();
      if (!item) return std::nullopt;
      out.push_back(std::move(*item));
    }
  }

  std::optional<Item> predicate() {
    Item p;
    p.kind = Item::Kind::predicate;
    ++i_;  // '#'
    p.name = ident();
    for (;;) {
      skip();
      if (i_ >= s_.size()) return std::nullopt;
      const char c = s_[i_];
      if (c == ')') {
        ++i_;
        return p;
      }
      if (c == '@') {
        ++i_;
        p.args.push_back({true, ident()});
      } else if (c == '"') {
        auto str = string();
        if (!str) return std::nullopt;
        p.args.push_back({false, std::move(*str)});
      } else if (ident_char(c)) {
        p.args.push_back({false, ident()});
      } else {
        return std::nullopt;
      }
    }
  }

  std::optional<Item> read_item() {
    skip();
    if (i_ >= s_.size()) return std::nullopt;
    Item item;
    const char c = s_[i_];
    if (c == '(') {
      ++i_;
      skip();
      if (i_ < s_.size() && s_[i_] == '#') return predicate();  // no suffixes on a predicate
      if (i_ < s_.size() && ident_char(s_[i_])) {
        item.kind = Item::Kind::node;
        ident();
      } else {
        item.kind = Item::Kind::group;
      }
      auto children = sequence(')');
      if (!children) return std::nullopt;
      item.children = std::move(*children);
    } else if (c == '[') {
      ++i_;
      item.kind = Item::Kind::alternation;
      auto branches = sequence(']');
      if (!branches) return std::nullopt;
      item.children = std::move(*branches);
    } else if (c == '"') {
      if (!string()) return std::nullopt;
    } else if (c == '.') {
      ++i_;
      return item;  // an anchor
    } else if (c == '!') {
      ++i_;
      ident();
      return item;  // a negated field
    } else if (ident_char(c)) {
      ident();
      skip();
      if (i_ < s_.size() && s_[i_] == ':') {  // a field: what follows is the item
        ++i_;
        return read_item();
      }
      // A bare name (`_`): a leaf, with suffixes.
    } else {
      return std::nullopt;
    }
    for (;;) {
      skip();
      if (i_ >= s_.size()) break;
      const char s = s_[i_];
      if (s == '?' || s == '*') {
        item.optional = true;
        ++i_;
      } else if (s == '+') {
        ++i_;
      } else if (s == '@') {
        ++i_;
        item.captures.push_back(ident());
      } else {
        break;
      }
    }
    return item;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// The captures every match of `item` has.
std::set<std::string> guaranteed(const Item& item) {
  std::set<std::string> out;
  if (item.optional || item.kind == Item::Kind::predicate) return out;
  out.insert(item.captures.begin(), item.captures.end());
  if (item.kind == Item::Kind::alternation) {
    std::optional<std::set<std::string>> common;
    for (const auto& branch : item.children) {
      auto g = guaranteed(branch);
      if (!common) {
        common = std::move(g);
      } else {
        std::set<std::string> both;
        std::set_intersection(common->begin(), common->end(), g.begin(), g.end(), std::inserter(both, both.end()));
        common = std::move(both);
      }
    }
    if (common) out.insert(common->begin(), common->end());
  } else {
    for (const auto& child : item.children) {
      auto g = guaranteed(child);
      out.insert(g.begin(), g.end());
    }
  }
  return out;
}

void predicates_in(const Item& item, std::vector<const Item*>& out) {
  if (item.kind == Item::Kind::predicate) out.push_back(&item);
  for (const auto& child : item.children) predicates_in(child, out);
}

}  // namespace

QueryPrefilter::~QueryPrefilter() = default;

QueryPrefilter::QueryPrefilter(std::string_view source) {
  auto patterns = Reader(source).patterns();
  if (!patterns || patterns->empty()) {
    unconstrained_ = true;
    return;
  }
  RE2::Options options;  // as the query's own regexes (regex_cache.cpp)
  options.set_log_errors(false);
  auto filter = std::make_unique<re2::FilteredRE2>(3);
  int regexes = 0;
  for (const auto& pattern : *patterns) {
    const auto present = guaranteed(pattern);
    std::vector<const Item*> predicates;
    predicates_in(pattern, predicates);
    std::vector<Clause> clauses;
    for (const Item* p : predicates) {
      // Positive forms only: `#eq?`, `#any-eq?`, `#match?`, `#any-match?`, `#any-of?`.
      std::string_view name = p->name;
      if (name.starts_with("any-") && name != "any-of?") name.remove_prefix(4);
      if (p->args.size() < 2 || !p->args[0].capture || !present.contains(p->args[0].text)) continue;
      if (std::any_of(p->args.begin() + 1, p->args.end(), [](const Item::Arg& a) { return a.capture; })) continue;
      Clause clause;
      if ((name == "eq?" && p->args.size() == 2) || name == "any-of?") {
        for (size_t k = 1; k < p->args.size(); ++k) clause.literals.push_back(p->args[k].text);
      } else if (name == "match?" && p->args.size() == 2) {
        int id = -1;
        if (filter->Add(p->args[1].text, options, &id) != re2::RE2::NoError) continue;
        ++regexes;
        clause.regex = id;
      } else {
        continue;
      }
      clauses.push_back(std::move(clause));
    }
    if (clauses.empty()) unconstrained_ = true;
    patterns_.push_back(std::move(clauses));
  }
  if (regexes > 0) {
    filter->Compile(&atoms_);
    filter_ = std::move(filter);
  }
}

bool QueryPrefilter::may_match(std::string_view text) const {
  if (unconstrained_) return true;
  const TextWords words(text);
  return may_match(words);
}

bool QueryPrefilter::may_match(const TextWords& words) const {
  if (unconstrained_) return true;
  const std::string_view text = words.text();
  // The regexes that may match, computed once, when a pattern needs them.
  std::optional<std::vector<int>> potential;
  auto regex_may_match = [&](int id) {
    if (!potential) {
      std::string lower(text);
      for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      std::vector<int> found;
      for (size_t i = 0; i < atoms_.size(); ++i) {
        const auto& atom = atoms_[i];
        // RE2 lowers non-ASCII letters too, which the ASCII lowering above does not: such an atom counts as found.
        const bool ascii = std::all_of(atom.begin(), atom.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (!ascii || lower.find(atom) != std::string::npos) found.push_back(static_cast<int>(i));
      }
      potential.emplace();
      filter_->AllPotentials(found, &*potential);
      std::sort(potential->begin(), potential->end());
    }
    return std::binary_search(potential->begin(), potential->end(), id);
  };
  for (const auto& clauses : patterns_) {
    bool all = true;
    for (const auto& clause : clauses) {
      bool holds = false;
      if (clause.regex >= 0) {
        holds = regex_may_match(clause.regex);
      } else {
        holds = std::any_of(clause.literals.begin(), clause.literals.end(),
                            [&](const std::string& literal) { return words(literal); });
      }
      if (!holds) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

}  // namespace vigil::match
