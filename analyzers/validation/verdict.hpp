// Secondary validation: a second opinion on one finding. The verdict model, the request a validator
// receives (the finding with its context), and the validator interface. No protocol code, no IO
// here; the validators that talk to a model endpoint or a local command live in their own files.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/engine.hpp"

namespace vigil::validation {

enum class Status { confirmed, refuted, uncertain, error };

std::string_view to_string(Status s);
std::optional<Status> parse_status(std::string_view s);

struct Verdict {
  Status status = Status::uncertain;
  std::string explanation;        // one paragraph
  double confidence = 0.0;        // 0..1
  std::string suggested_fix;      // optional: code or a short instruction
  std::string validator;          // "deep", "endpoint", "command"
  std::string model;              // the model (endpoint), the program (command); empty for deep
  std::vector<std::string> path;  // deep: the source -> ... -> sink steps it believes ("line 4: ...")

  nlohmann::json to_json() const;
};

// A verdict from JSON (a command's stdout, a model's structured answer). Tolerant of field-name
// variants (`verdict`/`status`, `reason`/`explanation`), confidence as a number, a percentage or
// a word. Null with `error` set when there is no usable status.
std::optional<Verdict> verdict_from_json(const nlohmann::json& j, std::string& error);

// A verdict from a model's free-text answer: JSON (bare, fenced in ```json, or embedded in prose),
// else a verdict word in the prose ("this is a false positive", "Verdict: confirmed").
std::optional<Verdict> parse_model_answer(std::string_view text, std::string& error);

struct TraceLine {
  uint32_t line = 0;  // 1-based
  std::string label;
};

// What a validator is told about a finding. Serialized as the command's stdin and as the model
// prompt's facts; code fields are redacted before the request leaves the process.
struct Request {
  std::string fingerprint;
  std::string rule_id;
  std::string message;
  std::string constraint;
  std::string severity;
  std::vector<std::string> cwe;
  std::string category;
  std::string file;
  std::string language;
  uint32_t line = 0, column = 0, end_line = 0;  // 1-based
  std::string code;                // the flagged code
  std::string function_code;       // the enclosing function (or the lines around a top-level finding)
  uint32_t function_line = 0;      // its first line, 1-based
  std::vector<TraceLine> trace;    // taint path, source first
  std::string provenance;          // "ai (bulk-insert)", "human", or empty when unknown
  // Other loaded rules that apply to the same language and category: id and constraint.
  std::vector<std::pair<std::string, std::string>> related_rules;

  nlohmann::json to_json() const;
};

// The request for `finding` in `snapshot`. `rules` (optional) supplies the related rules.
Request make_request(const Finding& finding, const document::Snapshot& snapshot, const RuleSet* rules,
                     std::string provenance = {});

// SHA-256 (hex) of what a verdict depends on: validator, rule, flagged code, enclosing function
// and trace, with line numbers left out. Equal keys: the stored verdict still applies.
std::string context_key(const Request& request, std::string_view validator);

// What a validator receives: the finding, its snapshot (for the in-process analyzer) and the
// serializable request (for everything that leaves the process).
struct Subject {
  const Finding* finding = nullptr;
  std::shared_ptr<const document::Snapshot> snapshot;
  Request request;
};

class Validator {
 public:
  virtual ~Validator() = default;
  virtual std::string name() const = 0;  // "deep", "endpoint", "command"
  // Never throws: failures are verdicts with status error. `cancelled` is polled; a cancelled
  // validation returns an error verdict saying so.
  virtual Verdict validate(const Subject& subject, const std::atomic<bool>& cancelled) = 0;
};

}  // namespace vigil::validation
