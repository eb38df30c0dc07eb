// Which byte ranges of a document an AI wrote, and how we know: a sorted set of disjoint labelled
// ranges that moves with every edit. Pure data structure, no IO.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::provenance {

enum class Origin : uint8_t { ai, human, reviewed };

// How a range got its origin. Names are the protocol's and the store's strings.
enum class Evidence : uint8_t {
  bulk_insert,      // one editor change inserted many lines or characters at once
  external_edit,    // the file changed outside the editor (an agent wrote it): the changed hunks
  declared,         // vigil/markProvenance from an editor extension or agent
  git_uncommitted,  // first sight of a file: lines not committed yet that Vigil never saw typed
  git_trailer,      // the line's commit carries an agent trailer (Co-authored-by: Claude ...)
  git_author,       // the line's commit was authored by an agent
  git_notes,        // git-ai authorship notes (refs/notes/ai)
  marker,           // vigil: ai-begin / ai-end, @generated
  glob,             // the path matches provenance.aiGlobs
  user,             // a code action: "Mark region as reviewed" / "Treat region as AI-written"
  agent_mcp,        // an agent checked this text through `vigil mcp` before writing it (tool: the MCP client)
};

std::string_view to_string(Origin o);
std::string_view to_string(Evidence e);
bool parse_origin(std::string_view s, Origin& out);
bool parse_evidence(std::string_view s, Evidence& out);

struct Label {
  Origin origin = Origin::ai;
  Evidence evidence = Evidence::declared;
  std::string tool;  // "claude", "copilot", ... when known
  bool operator==(const Label&) const = default;
};

struct Span {
  uint32_t start = 0;  // byte offsets, [start, end)
  uint32_t end = 0;
  Label label;
  bool operator==(const Span&) const = default;
};

// Ranges are kept maximal: adjacent ranges with equal labels merge; empty ranges vanish.
//
// Edits: text inserted strictly inside a range joins it (typing inside AI code keeps it AI), and so
// does text replacing the gap between two ranges with equal labels; text inserted at a range's edge
// does not (typing after AI code is not AI). Deleting the text between two equal ranges merges them.
//
// Cost: a binary search plus the ranges the edit touches. Ranges after an edit are shifted lazily:
// one pending (index, delta) is kept and moved when the next edit lands elsewhere, so consecutive
// edits in one place (typing) cost O(log n) and an edit elsewhere costs the ranges between the two.
class ProvenanceMap {
 public:
  // The text [start, old_end) was replaced by `new_length` bytes.
  void edit(uint32_t start, uint32_t old_end, uint32_t new_length);

  // Within [start, end): every range for which `overwrite(label)` holds, and every unlabelled byte,
  // takes `label` (or loses its label when `label` is empty); other ranges stay as they are.
  void paint(uint32_t start, uint32_t end, const std::optional<Label>& label,
             const std::function<bool(const Label&)>& overwrite);
  void mark(uint32_t start, uint32_t end, const Label& label) { paint(start, end, label, always); }
  void clear(uint32_t start, uint32_t end) { paint(start, end, std::nullopt, always); }
  void clear_all();

  std::vector<Span> spans() const;
  // Ranges that overlap [start, end) (a zero-width query matches the range containing `start`).
  std::vector<Span> overlapping(uint32_t start, uint32_t end) const;
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  static bool always(const Label&) { return true; }

 private:
  struct Entry {
    uint32_t start;
    uint32_t end;
    uint32_t label;  // index into labels_
  };

  uint32_t start_of(size_t i) const { return entries_[i].start + (i >= shift_from_ ? shift_ : 0u); }
  uint32_t end_of(size_t i) const { return entries_[i].end + (i >= shift_from_ ? shift_ : 0u); }
  Entry true_entry(size_t i) const { return {start_of(i), end_of(i), entries_[i].label}; }
  // Moves the pending shift's start to `index` (cost: the entries between the old and new index).
  void move_shift(size_t index);
  // First index whose range ends after `offset`.
  size_t first_ending_after(uint32_t offset) const;
  // Replaces entries [lo, hi) by `pieces` (true offsets, sorted), merging equal neighbours.
  // Entries from hi on must already carry their final offsets.
  void splice(size_t lo, size_t hi, std::vector<Entry> pieces);
  uint32_t intern(const Label& label);

  std::vector<Entry> entries_;
  std::vector<Label> labels_;
  size_t shift_from_ = 0;  // entries at and after this index are off by shift_ (unsigned wrap-around)
  uint32_t shift_ = 0;
};

}  // namespace vigil::provenance
