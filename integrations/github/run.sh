#!/usr/bin/env bash
# The script part of the GitHub composite action (action.yml), runnable on its own: fetches enough
# history, runs `vigil check`, writes the SARIF log and the markdown summary, and exits with vigil's
# status. Inputs come as environment variables:
#   VIGIL          the vigil binary (default: vigil on the PATH)
#   VIGIL_DIFF     a ref to compare with (--diff): "auto" = the pull request's base branch, "" = all files
#   VIGIL_AI_ONLY  true: only findings in AI-written code
#   VIGIL_FAIL_ON  error|warning|info|hint|never (default warning)
#   VIGIL_VALIDATE true: secondary validation of each finding (--validate)
#   VIGIL_PATHS    what to check (default .), split on spaces
#   VIGIL_SARIF    where the SARIF log goes (default vigil.sarif)
#   VIGIL_FETCH    true (default): unshallow the clone and fetch the base branch
# and GitHub's own: GITHUB_BASE_REF, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
set -uo pipefail

vigil="${VIGIL:-vigil}"
diff="${VIGIL_DIFF:-auto}"
fail_on="${VIGIL_FAIL_ON:-warning}"
sarif="${VIGIL_SARIF:-vigil.sarif}"

if [ "$diff" = "auto" ]; then
  diff=""
  if [ -n "${GITHUB_BASE_REF:-}" ]; then diff="origin/$GITHUB_BASE_REF"; fi
fi

# A one-commit checkout (actions/checkout's default) blames every line on its only commit, and has
# no merge base for --diff: fetch the history, and the base branch.
if [ "${VIGIL_FETCH:-true}" = "true" ] && git rev-parse --git-dir >/dev/null 2>&1; then
  if [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then
    echo "vigil: fetching the history (the clone is shallow)" >&2
    git fetch --quiet --unshallow --no-tags origin || echo "vigil: could not unshallow the clone" >&2
  fi
  case "$diff" in
    origin/*)
      branch="${diff#origin/}"
      git fetch --quiet --no-tags origin "+refs/heads/$branch:refs/remotes/origin/$branch" ||
        echo "vigil: could not fetch $branch" >&2
      ;;
  esac
fi

args=(check --no-progress --fail-on "$fail_on")
if [ -n "$diff" ]; then args+=(--diff "$diff"); fi
if [ "${VIGIL_AI_ONLY:-false}" = "true" ]; then args+=(--ai-only); fi
if [ "${VIGIL_VALIDATE:-false}" = "true" ]; then args+=(--validate); fi
read -r -a paths <<<"${VIGIL_PATHS:-.}"

"$vigil" "${args[@]}" --format sarif --output "$sarif" "${paths[@]}"
status=$?
if [ "$status" -ge 2 ]; then
  echo "vigil: the check failed (exit $status)" >&2
  exit "$status"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # The same findings as markdown for the job's summary (the log above is for code scanning).
  "$vigil" "${args[@]}" --fail-on never --format markdown "${paths[@]}" >>"$GITHUB_STEP_SUMMARY" 2>/dev/null
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif=$sarif"
    echo "exit-code=$status"
  } >>"$GITHUB_OUTPUT"
fi
exit "$status"
