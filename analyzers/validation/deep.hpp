// The deep analyzer: the default validator, offline and in process. It re-examines one finding of
// the fast pass with what the fast pass does not do: constants folded and dead branches pruned,
// guards before the sink (early return/raise on a failed allow-list, type, regex full-match,
// character-class or normalise-then-prefix check; a sink inside the passing branch), values that
// cannot carry an attack (numbers, booleans, a fixed choice from a constant map, a ternary of
// constants), calls into functions of the same file through summaries of what they return, and
// class fields through every assignment to them. It refutes with the reason it found, or confirms
// with the source -> ... -> sink path. Pure computation on the parsed snapshot: no IO.
#pragma once

#include "analyzers/validation/verdict.hpp"

namespace vigil::validation {

Verdict deep_validate(const Finding& finding, const document::Snapshot& snapshot);
// The same, with the file's index kept (per thread) for the next finding of the same snapshot.
Verdict deep_validate(const Finding& finding, const document::Snapshot& snapshot,
                      const std::shared_ptr<const document::Snapshot>& shared);

class DeepValidator : public Validator {
 public:
  std::string name() const override { return "deep"; }
  Verdict validate(const Subject& subject, const std::atomic<bool>& cancelled) override;
};

}  // namespace vigil::validation
