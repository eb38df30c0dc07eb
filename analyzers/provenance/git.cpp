#include "analyzers/provenance/git.hpp"

#include "analyzers/process/process.hpp"

#include <chrono>
#include <fstream>
#include <filesystem>
#include <set>
#include <sstream>

namespace vigil::provenance::git {
namespace fs = std::filesystem;

namespace {

// Options on every call that keep a repository's config from making git run a program: no
// fsmonitor hook, no pager, no signature verification (gpg.program), no implicit bare repository
// (an embedded one, committed as plain files, would bring its own config), no external diff.
const std::vector<std::string>& safety_options() {
  static const std::vector<std::string> options = {
      "--no-pager",           "-c", "core.fsmonitor=false", "-c", "safe.bareRepository=explicit",
      "-c", "log.showSignature=false", "-c", "diff.external=",  "-c", "core.quotepath=false",
      "-c", "core.hooksPath=/dev/null", "-c", "blame.ignoreRevsFile="};
  return options;
}

RunResult spawn(const std::string& cwd, const std::vector<std::string>& args, std::string_view input, int timeout_ms,
                const std::vector<std::pair<std::string, std::string>>& config) {
  static const std::string git = process::find_program("git");
  if (git.empty()) return {};
  process::Command command;
  command.argv = {git};
  const auto& options = safety_options();
  command.argv.insert(command.argv.end(), options.begin(), options.end());
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.cwd = cwd;
  command.input = std::string(input);
  command.timeout = std::chrono::milliseconds(timeout_ms);
  command.set_env = {{"GIT_OPTIONAL_LOCKS", "0"},  // reading never contends with the user's git
                     {"GIT_TERMINAL_PROMPT", "0"},
                     {"GIT_CONFIG_NOSYSTEM", "1"}};
  command.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_PARAMETERS", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_CONFIG_COUNT"};
  // Config given through the environment (git >= 2.31): unlike `-c`, a key may hold `=`.
  if (!config.empty()) {
    command.set_env.emplace_back("GIT_CONFIG_COUNT", std::to_string(config.size()));
    for (size_t i = 0; i < config.size(); ++i) {
      command.set_env.emplace_back("GIT_CONFIG_KEY_" + std::to_string(i), config[i].first);
      command.set_env.emplace_back("GIT_CONFIG_VALUE_" + std::to_string(i), config[i].second);
    }
  }
  auto result = process::run(command);
  if (result.timed_out) result.err = "git timed out";
  else if (!result.started) result.err = result.error;
  return result;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> neutralising_config(const DriverNames& names) {
  std::vector<std::pair<std::string, std::string>> config;
  for (const auto& n : names.filters) {
    // An empty command is no command: git then neither cleans, smudges nor starts a process.
    for (const char* var : {"clean", "smudge", "process"}) config.emplace_back("filter." + n + "." + var, "");
    config.emplace_back("filter." + n + ".required", "false");
  }
  for (const auto& n : names.diffs)
    for (const char* var : {"textconv", "command"}) config.emplace_back("diff." + n + "." + var, "");
  return config;
}

RunResult run_git(const std::string& cwd, const std::vector<std::string>& args, std::string_view input, int timeout_ms) {
  // The drivers the repository's config names (reading config runs nothing), then the call with
  // each one's commands cleared: blame and diff of the work tree would otherwise run its filters.
  auto listed = spawn(cwd, {"config", "-z", "--name-only", "--get-regexp", "^(filter|diff)\\."}, {}, timeout_ms, {});
  if (!listed.started) return listed;
  // Exit 1: no such key. Anything else (a broken config): git would refuse the call anyway.
  return spawn(cwd, args, input, timeout_ms, neutralising_config(parse_driver_names(listed.out)));
}

std::string global_identity() {
  // From the home directory's parent side of things: "/" holds no repository config to read.
  auto get = [](const char* key) {
    auto r = run_git("/", {"-c", "safe.bareRepository=explicit", "config", "--global", "--get", key}, {}, 5000);
    std::string v = r.ok() ? r.out : std::string();
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
    return v;
  };
  const std::string name = get("user.name"), email = get("user.email");
  if (name.empty()) return email.empty() ? std::string() : "<" + email + ">";
  return email.empty() ? name : name + " <" + email + ">";
}

std::optional<std::string> toplevel(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  auto r = run_git(dir, {"rev-parse", "--show-toplevel"});
  if (!r.ok()) return std::nullopt;
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  if (r.out.empty()) return std::nullopt;
  // A work tree that does not hold `dir` (core.worktree pointing elsewhere) is not this project's.
  const auto top = fs::weakly_canonical(r.out, ec), here = fs::weakly_canonical(dir, ec);
  const auto rel = here.lexically_relative(top);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return r.out;
}

namespace {

// Commits named by `shas` with their author and message, asked in one `git log`.
std::vector<Commit> read_commits(const std::string& root, const std::set<std::string>& shas) {
  if (shas.empty()) return {};
  std::string input;
  for (const auto& s : shas) input += s + "\n";
  auto r = run_git(root, {"log", "-z", "--no-walk=unsorted", "--stdin", "--format=%H%x00%an%x00%ae%x00%B"}, input);
  return r.ok() ? parse_log(r.out) : std::vector<Commit>{};
}

// git-ai notes (refs/notes/ai) of the commits in `shas` that have one.
std::map<std::string, std::string> read_ai_notes(const std::string& root, const std::set<std::string>& shas) {
  std::map<std::string, std::string> notes;
  auto list = run_git(root, {"notes", "--ref=ai", "list"});
  if (!list.ok() || list.out.empty()) return notes;
  std::istringstream lines(list.out);
  std::string note_blob, commit, request;
  std::vector<std::string> order;
  while (lines >> note_blob >> commit)
    if (shas.count(commit)) {
      request += note_blob + "\n";
      order.push_back(commit);
    }
  if (order.empty()) return notes;
  auto batch = run_git(root, {"cat-file", "--batch"}, request);
  if (!batch.ok()) return notes;
  // "<sha> blob <size>\n<content>\n" per request line.
  size_t pos = 0;
  for (const auto& c : order) {
    size_t nl = batch.out.find('\n', pos);
    if (nl == std::string::npos) break;
    std::istringstream header(batch.out.substr(pos, nl - pos));
    std::string sha, type;
    size_t size = 0;
    if (!(header >> sha >> type >> size) || type != "blob") break;
    notes[c] = batch.out.substr(nl + 1, size);
    pos = nl + 1 + size + 1;
  }
  return notes;
}

}  // namespace

std::set<std::string> shallow_boundary(const std::string& root) {
  std::set<std::string> shas;
  auto r = run_git(root, {"rev-parse", "--is-shallow-repository", "--git-path", "shallow"});
  if (!r.ok()) return shas;
  std::istringstream lines(r.out);
  std::string shallow, path;
  if (!std::getline(lines, shallow) || shallow != "true" || !std::getline(lines, path) || path.empty()) return shas;
  const fs::path file = fs::path(path).is_absolute() ? fs::path(path) : fs::path(root) / path;
  std::ifstream in(file);
  for (std::string sha; std::getline(in, sha);)
    if (sha.size() == 40) shas.insert(sha);
  return shas;
}

std::vector<LineVerdict> file_verdicts(const std::string& root, const std::string& abs_path, const std::string* contents,
                                       const AgentMatcher& matcher, const std::set<std::string>* shallow) {
  const std::string rel = fs::path(abs_path).lexically_relative(root).generic_string();
  if (rel.empty() || rel.starts_with("..")) return {};
  std::vector<std::string> args = {"blame", "--line-porcelain", "--no-textconv"};
  if (contents) args.insert(args.end(), {"--contents", "-"});
  args.insert(args.end(), {"--", rel});
  auto r = run_git(root, args, contents ? std::string_view(*contents) : std::string_view());
  if (!r.ok()) {
    // Untracked file in a repository with commits: every line is new. Anything else: unknown.
    if (!r.started || !run_git(root, {"rev-parse", "--verify", "-q", "HEAD"}).ok()) return {};
    if (run_git(root, {"ls-files", "--error-unmatch", "--", rel}).ok()) return {};
    std::string text = contents ? *contents : std::string();
    if (!contents) {
      std::ifstream in(abs_path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    size_t lines = 0;
    for (char c : text) lines += c == '\n';
    if (!text.empty() && text.back() != '\n') ++lines;
    return std::vector<LineVerdict>(lines, LineVerdict{LineState::uncommitted, {}});
  }
  auto blame = parse_blame_porcelain(r.out);
  std::set<std::string> shas;
  for (const auto& b : blame)
    if (!b.uncommitted()) shas.insert(b.commit);
  const auto boundary = shallow ? std::set<std::string>() : shallow_boundary(root);
  return classify_lines(blame, read_commits(root, shas), read_ai_notes(root, shas), matcher, shallow ? *shallow : boundary);
}

namespace {
std::string first_line(std::string text) {
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}
}  // namespace

std::optional<ChangedLines> changed_since(const std::string& root, const std::string& ref, std::string& error) {
  if (ref.empty() || ref.front() == '-') {  // never let a ref become an option
    error = "`" + ref + "` is not a revision";
    return std::nullopt;
  }
  auto target = run_git(root, {"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"});
  if (!target.started) {
    error = "git is not installed";
    return std::nullopt;
  }
  if (!target.ok()) {
    error = "git does not know the revision `" + ref + "`" +
            (shallow_boundary(root).empty() ? "" : " (the clone is shallow: fetch it, e.g. `git fetch origin " + ref + "`)");
    return std::nullopt;
  }
  ChangedLines changed;
  if (!run_git(root, {"rev-parse", "--verify", "--quiet", "HEAD"}).ok()) {
    // No commit yet on this branch: everything in the work tree is new relative to REF.
    changed.base = first_line(target.out);
  } else {
    // Review compares from where the branch left REF (`git diff REF...`): commits REF gained since
    // are not the branch's.
    auto base = run_git(root, {"merge-base", first_line(target.out), "HEAD"});
    if (!base.ok() || first_line(base.out).empty()) {
      error = shallow_boundary(root).empty()
                  ? "`" + ref + "` and HEAD have no common history"
                  : "`" + ref + "` and HEAD have no common history in this shallow clone: fetch more history (`git fetch "
                    "--unshallow`, or `fetch-depth: 0` in actions/checkout)";
      return std::nullopt;
    }
    changed.base = first_line(base.out);
  }
  // The merge base against the work tree: committed, staged and unstaged changes alike.
  auto diff = run_git(root, {"diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", changed.base, "--"});
  if (!diff.ok()) {
    error = "git diff failed: " + first_line(diff.err);
    return std::nullopt;
  }
  changed.files = parse_diff_u0(diff.out);
  // New files nobody added yet (an agent's fresh file before `git add`): all their lines are new.
  auto untracked = run_git(root, {"ls-files", "-z", "--others", "--exclude-standard", "--full-name"});
  if (untracked.ok())
    for (size_t pos = 0; pos < untracked.out.size();) {
      size_t z = untracked.out.find('\0', pos);
      if (z == std::string::npos) z = untracked.out.size();
      if (z > pos) changed.files[untracked.out.substr(pos, z - pos)] = {LineRange{1, UINT32_MAX - 1}};
      pos = z + 1;
    }
  return changed;
}

}  // namespace vigil::provenance::git
