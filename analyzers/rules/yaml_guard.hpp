// Bounds on YAML from a workspace, checked around yaml-cpp: its parser recurses once per nesting
// level, and aliases share nodes that every walk over the document expands again ("billion
// laughs"). A file past either bound is refused with a problem, never parsed or walked.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace vigil::rules {

constexpr size_t kMaxYamlDepth = 256;
constexpr size_t kMaxYamlNodes = 100000;

// Before parsing: why `text` nests deeper than `max_depth` (flow brackets, or block indentation
// plus compact `- ` entries on one line), or nothing.
std::optional<std::string> yaml_nesting_problem(std::string_view text, size_t max_depth = kMaxYamlDepth);

// Before parsing: why `text` has a `,` where a block-context node starts (`,` alone, `- ,`,
// `--- ,`, a line starting with `,` outside [...] and {...}), or nothing. yaml-cpp 0.7 never
// returns from such a document and allocates without bound (found by fuzz/rule_loader). A plain
// scalar cannot start with `,`, so only a continuation line of a multi-line plain scalar that
// starts with `,` is valid YAML refused here. A NUL byte is refused too: yaml-cpp then reads the
// text as UTF-16 or UTF-32 (`\0,` is a `,`).
std::optional<std::string> yaml_flow_entry_problem(std::string_view text);

// Both checks above, the one to call before handing workspace YAML to yaml-cpp.
std::optional<std::string> yaml_text_problem(std::string_view text, size_t max_depth = kMaxYamlDepth);

// After parsing: why `root`, with every alias expanded, holds more than `budget` nodes, or nothing.
// Iterative, and stops counting at the budget.
std::optional<std::string> yaml_expansion_problem(const YAML::Node& root, size_t budget = kMaxYamlNodes);

}  // namespace vigil::rules
