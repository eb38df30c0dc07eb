// Loading the test templates (data) and choosing among them.
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "analyzers/testgen/testgen.hpp"

namespace vigil::testgen {

namespace embedded {
struct File {
  const char* path;
  const unsigned char* data;
  unsigned long size;
};
extern const File kFiles[];
extern const unsigned long kFileCount;
}  // namespace embedded

namespace {

std::string scalar(const YAML::Node& node, const char* key, const std::string& fallback = "") {
  const auto v = node[key];
  if (!v) return fallback;
  if (!v.IsScalar()) throw YAML::Exception(v.Mark(), std::string("`") + key + "` must be a string");
  return v.as<std::string>();
}

std::vector<std::string> strings(const YAML::Node& node, const char* key) {
  std::vector<std::string> out;
  const auto v = node[key];
  if (!v) return out;
  if (!v.IsSequence()) throw YAML::Exception(v.Mark(), std::string("`") + key + "` must be a list of strings");
  for (const auto& item : v) out.push_back(item.as<std::string>());
  return out;
}

Layout parse_layout(const YAML::Node& node) {
  Layout layout;
  layout.file = scalar(node, "file");
  layout.header = scalar(node, "header");
  layout.wrap = scalar(node, "wrap", "{{test}}");
  layout.footer = scalar(node, "footer");
  if (layout.file.empty()) throw YAML::Exception(node.Mark(), "a framework needs `file`");
  const auto run = node["run"];
  if (!run || !run.IsSequence() || run.size() == 0)
    throw YAML::Exception(node.Mark(), "a framework needs `run`: a list of argument lists");
  for (const auto& command : run) {
    if (!command.IsSequence()) throw YAML::Exception(command.Mark(), "each `run` entry is an argument list");
    std::vector<std::string> argv;
    for (const auto& a : command) argv.push_back(a.as<std::string>());
    layout.run.push_back(std::move(argv));
  }
  // Go: imports every test of the language needs (the helper's), merged with the template's.
  for (const auto& i : strings(node, "base_imports")) layout.base_imports.push_back(i);
  return layout;
}

}  // namespace

TemplateSet load_templates(const std::vector<TemplateFile>& files, std::vector<std::string>& errors) {
  TemplateSet set;
  for (const auto& file : files) {
    if (!file.path.ends_with(".yaml") && !file.path.ends_with(".yml")) continue;
    const auto slash = file.path.rfind('/');
    const std::string base = slash == std::string::npos ? file.path : file.path.substr(slash + 1);
    try {
      const auto doc = YAML::Load(file.content);
      const std::string language = scalar(doc, "language");
      if (language.empty()) throw YAML::Exception(doc.Mark(), "missing `language`");
      if (base.starts_with("_")) {  // _layout.yaml: the language's file layouts
        const auto frameworks = doc["frameworks"];
        if (!frameworks || !frameworks.IsMap()) throw YAML::Exception(doc.Mark(), "missing `frameworks`");
        for (const auto& f : frameworks) set.layouts[language][f.first.as<std::string>()] = parse_layout(f.second);
        // Shared text a layout's header may include as {{harness}}.
        for (auto& [name, layout] : set.layouts[language]) {
          const std::string harness = scalar(doc, "harness");
          const auto at = layout.header.find("{{harness}}");
          if (at != std::string::npos) layout.header.replace(at, 11, harness);
        }
        continue;
      }
      Template t;
      t.path = file.path;
      t.language = language;
      t.family = scalar(doc, "family");
      t.title = scalar(doc, "title", t.family);
      t.cwe = strings(doc, "cwe");
      t.sinks = strings(doc, "sinks");
      t.benign = scalar(doc, "benign");
      t.payloads = strings(doc, "payloads");
      t.control = scalar(doc, "control", "sink");
      t.imports = strings(doc, "imports");
      t.prelude = scalar(doc, "prelude");
      t.test = scalar(doc, "test");
      if (t.family.empty()) throw YAML::Exception(doc.Mark(), "missing `family`");
      if (t.cwe.empty()) throw YAML::Exception(doc.Mark(), "missing `cwe`");
      if (t.test.empty()) throw YAML::Exception(doc.Mark(), "missing `test`");
      if (t.control != "sink" && t.control != "result" && t.control != "none")
        throw YAML::Exception(doc["control"].Mark(), "`control` is sink, result or none");
      if (t.control == "sink" && t.sinks.empty())
        throw YAML::Exception(doc.Mark(), "`control: sink` needs `sinks`");
      set.templates.push_back(std::move(t));
    } catch (const YAML::Exception& e) {
      errors.push_back(file.path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                       ": " + e.msg);
    }
  }
  for (const auto& t : set.templates)
    if (!set.layouts.contains(t.language)) errors.push_back(t.path + ": no _layout.yaml for " + t.language);
  return set;
}

std::vector<TemplateFile> builtin_template_files() {
  std::vector<TemplateFile> files;
  for (unsigned long i = 0; i < embedded::kFileCount; ++i) {
    const auto& f = embedded::kFiles[i];
    files.push_back({f.path, std::string(reinterpret_cast<const char*>(f.data), f.size)});
  }
  return files;
}

const TemplateSet& builtin_templates() {
  static const TemplateSet set = [] {
    std::vector<std::string> errors;
    auto loaded = load_templates(builtin_template_files(), errors);
    // Built-in templates are checked by the unit tests; a broken one must not take the others down.
    return loaded;
  }();
  return set;
}

std::vector<const Template*> TemplateSet::for_cwe(std::string_view language, const std::vector<std::string>& cwe) const {
  std::vector<std::pair<size_t, const Template*>> ranked;
  for (const auto& t : templates) {
    if (t.language != language) continue;
    // The rule's first CWE is its main one: a template naming it first ranks best.
    for (size_t i = 0; i < cwe.size(); ++i)
      if (std::find(t.cwe.begin(), t.cwe.end(), cwe[i]) != t.cwe.end()) {
        const size_t pos = static_cast<size_t>(std::find(t.cwe.begin(), t.cwe.end(), cwe[i]) - t.cwe.begin());
        ranked.push_back({i * 100 + pos, &t});
        break;
      }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Template*> out;
  for (const auto& [rank, t] : ranked) out.push_back(t);
  return out;
}

const Template* TemplateSet::by_family(std::string_view language, std::string_view family) const {
  for (const auto& t : templates)
    if (t.language == language && t.family == family) return &t;
  return nullptr;
}

}  // namespace vigil::testgen
