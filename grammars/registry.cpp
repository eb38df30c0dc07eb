#include "vigil/grammars/registry.hpp"
#include "vigil/grammars/symbols.hpp"

#include <algorithm>
#include <cctype>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
}

namespace vigil::grammars {
namespace {

const std::vector<Language>& table() {
  static const std::vector<Language> languages = {
      {"python", tree_sitter_python, {".py", ".pyi", ".pyw"}, {"python"}, {"py"}, "#"},
      {"javascript", tree_sitter_javascript, {".js", ".mjs", ".cjs", ".jsx"},
       {"javascript", "javascriptreact"}, {"js", "jsx"}, "//"},
      {"typescript", tree_sitter_typescript, {".ts", ".mts", ".cts"}, {"typescript"}, {"ts"}, "//"},
      {"tsx", tree_sitter_tsx, {".tsx"}, {"typescriptreact"}, {}, "//"},
      {"go", tree_sitter_go, {".go"}, {"go"}, {"golang"}, "//"},
      {"java", tree_sitter_java, {".java"}, {"java"}, {}, "//"},
      {"c", tree_sitter_c, {".c"}, {"c"}, {}, "//"},
      // Headers go to the C++ grammar: it parses C headers too, while C++ ones break the C grammar.
      {"cpp", tree_sitter_cpp, {".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h", ".ipp"},
       {"cpp", "cuda-cpp", "objective-cpp"}, {"c++", "cxx", "cc"}, "//"},
  };
  return languages;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::span<const Language> all() { return table(); }

const Language* by_name(std::string_view name) {
  for (const auto& lang : table()) {
    if (iequals(lang.id, name)) return &lang;
    for (auto alias : lang.aliases)
      if (iequals(alias, name)) return &lang;
  }
  return nullptr;
}

const Language* by_lsp_language_id(std::string_view language_id) {
  for (const auto& lang : table())
    for (auto id : lang.lsp_language_ids)
      if (id == language_id) return &lang;
  return nullptr;
}

const Language* by_path(std::string_view path) {
  auto slash = path.find_last_of('/');
  auto base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return nullptr;
  auto ext = base.substr(dot);
  for (const auto& lang : table())
    for (auto e : lang.extensions)
      if (iequals(e, ext)) return &lang;
  return nullptr;
}

TSSymbol named_symbol(const Language& lang, std::string_view name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) return 0;
  return ts_language_symbol_for_name(lang.ts_language(), name.data(), static_cast<uint32_t>(name.size()), true);
}

}  // namespace vigil::grammars
