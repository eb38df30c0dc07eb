// `vigil parse`: syntax errors and trees as Vigil's parser sees them.
#include <iostream>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/workspace/files.hpp"
#include "cli/commands.hpp"

namespace vigil::cli {
namespace {

// The tree as `tree-sitter parse` prints it: named nodes (and MISSING ones), one per line, indented
// by depth, with field names and [row, column] - [row, column] (0-based, byte columns).
void print_tree(std::ostream& out, TSNode root) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  unsigned depth = 0;         // of the cursor's node
  std::vector<bool> printed;  // per open ancestor: whether it printed (and needs a `)`)
  bool first = true;
  for (;;) {
    const TSNode n = ts_tree_cursor_current_node(&cursor);
    const bool show = ts_node_is_named(n) || ts_node_is_missing(n);
    if (show) {
      if (!first) out << '\n';
      first = false;
      unsigned indent = 0;
      for (bool p : printed) indent += p;
      out << std::string(2 * indent, ' ');
      if (const char* field = ts_tree_cursor_current_field_name(&cursor)) out << field << ": ";
      const TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
      out << '(' << (ts_node_is_missing(n) ? "MISSING " : "") << ts_node_type(n) << " [" << s.row << ", " << s.column
          << "] - [" << e.row << ", " << e.column << ']';
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      printed.push_back(show);
      ++depth;
      continue;
    }
    if (show) out << ')';
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        out << '\n';
        return;
      }
      --depth;
      if (printed.back()) out << ')';
      printed.pop_back();
    }
  }
}

}  // namespace

int parse_command(const std::vector<std::string>& args) {
  bool tree = false;
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "--tree") tree = true;
    else if (a.starts_with("-")) throw UsageError("unknown option for `vigil parse`: " + a);
    else paths.push_back(a);
  }
  if (paths.empty()) throw UsageError("usage: vigil parse [--tree] PATH...");
  // The files `vigil check` would check: directories walked with the same filters.
  const auto project = workspace::open_project(".");
  std::vector<std::string> missing;
  std::vector<workspace::SkippedFile> skipped;
  const auto files = workspace::discover(project, paths, missing, &skipped);
  int status = 0;
  for (const auto& m : missing) {
    std::cerr << "vigil: " << m << ": no such file or directory\n";
    status = 2;
  }
  for (const auto& s : skipped) {
    std::cerr << "vigil: skipped " << s.display_path << ": " << s.reason << '\n';
    status = 2;
  }
  for (const auto& file : files) {
    bool ok = false;
    std::string text = read_file(file.path, ok);
    if (!ok) {
      std::cerr << "vigil: " << file.display_path << ": cannot read\n";
      status = 2;
      continue;
    }
    auto snapshot = document::Snapshot::parse(file.display_path, *file.language, std::move(text));
    if (tree) print_tree(std::cout, snapshot->root());
    const auto errors = parse_error_findings(*snapshot, SIZE_MAX);
    for (const auto& e : errors) {
      const auto pos = snapshot->position_of(e.start_byte, document::Encoding::utf32);
      std::string message = e.message.substr(0, e.message.find("; the code around it"));
      std::cout << file.display_path << ':' << pos.line + 1 << ':' << pos.character + 1 << ": " << message << '\n';
    }
    if (!errors.empty() && status == 0) status = 1;
  }
  return status;
}

}  // namespace vigil::cli
