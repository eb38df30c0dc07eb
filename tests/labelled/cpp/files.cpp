// Shell, SQL, file and string helpers in modern C++ as an assistant writes them (labelled: vuln/safe per function).
#include <sqlite3.h>
#include <unistd.h>
#include <sys/wait.h>
#include <syslog.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

// vuln: command-injection
std::string ls(const std::string& dir) {
    std::string cmd = "ls -la " + dir;
    std::array<char, 256> buf{};
    std::string out;
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) throw std::runtime_error("popen failed");
    while (fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
    return out;
}

// safe: command-injection
std::string ls_safe(const std::string& dir) {
    std::string out;
    for (const auto& entry : fs::directory_iterator(dir)) out += entry.path().filename().string() + "\n";
    return out;
}

// vuln: command-injection
int compress(const std::string& path) {
    return std::system(("tar czf " + path + ".tar.gz " + path).c_str());
}

// safe: command-injection
int compress_safe(const std::string& path) {
    pid_t pid = fork();
    if (pid == 0) {
        std::string archive = path + ".tar.gz";
        execlp("tar", "tar", "czf", archive.c_str(), path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}

// vuln: command-injection
bool ping(const std::string& host) {
    std::ostringstream cmd;
    cmd << "ping -c 1 " << host << " > /dev/null 2>&1";
    return system(cmd.str().c_str()) == 0;
}

// safe: command-injection
bool ping_safe(const std::string& host) {
    std::vector<char*> argv{const_cast<char*>("ping"), const_cast<char*>("-c"), const_cast<char*>("1"),
                            const_cast<char*>(host.c_str()), nullptr};
    pid_t pid = fork();
    if (pid == 0) {
        execvp("ping", argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// vuln: command-injection
void open_in_editor(const std::string& file) {
    std::string editor = "vim";
    std::string command = editor + " '" + file + "'";
    std::system(command.c_str());
}

// safe: command-injection
int git_status() {
    return std::system("git status --short");
}

// vuln: command-injection
std::string checksum_of(const std::string& filename) {
    char cmd[512];
    std::snprintf(cmd, sizeof(cmd), "sha256sum %s", filename.c_str());
    FILE* p = ::popen(cmd, "r");
    if (!p) return {};
    char line[256] = {0};
    std::fgets(line, sizeof line, p);
    ::pclose(p);
    return line;
}

// vuln: sql-injection
bool delete_user(sqlite3* db, const std::string& name) {
    std::string sql = "DELETE FROM users WHERE name = '" + name + "';";
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// safe: sql-injection
bool delete_user_safe(sqlite3* db, const std::string& name) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "DELETE FROM users WHERE name = ?;", -1, &stmt, nullptr) != SQLITE_OK) return false;
    sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    bool ok = sqlite3_step(stmt) == SQLITE_DONE;
    sqlite3_finalize(stmt);
    return ok;
}

// vuln: sql-injection
std::vector<std::string> find_orders(sqlite3* db, const std::string& customer, const std::string& status) {
    std::ostringstream q;
    q << "SELECT id FROM orders WHERE customer = '" << customer << "' AND status = '" << status << "'";
    std::vector<std::string> ids;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, q.str().c_str(), -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return ids;
}

// safe: sql-injection
std::vector<std::string> find_orders_safe(sqlite3* db, const std::string& customer, const std::string& status) {
    std::vector<std::string> ids;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT id FROM orders WHERE customer = ?1 AND status = ?2", -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, customer.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, status.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return ids;
}

// vuln: sql-injection
int count_rows(sqlite3* db, const std::string& table) {
    int n = 0;
    auto cb = [](void* p, int, char** v, char**) { *static_cast<int*>(p) = std::atoi(v[0]); return 0; };
    sqlite3_exec(db, ("SELECT COUNT(*) FROM " + table).c_str(), cb, &n, nullptr);
    return n;
}

// safe: sql-injection
int count_users(sqlite3* db) {
    int n = 0;
    const std::string table = "users";
    auto cb = [](void* p, int, char** v, char**) { *static_cast<int*>(p) = std::atoi(v[0]); return 0; };
    sqlite3_exec(db, ("SELECT COUNT(*) FROM " + table).c_str(), cb, &n, nullptr);
    return n;
}

// vuln: sql-injection
bool set_email(sqlite3* db, int id, const std::string& email) {
    std::string sql = "UPDATE users SET email = '";
    sql += email;
    sql += "' WHERE id = " + std::to_string(id);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    return rc == SQLITE_OK;
}

// safe: sql-injection
bool set_active(sqlite3* db, int id) {
    std::string sql = "UPDATE users SET active = 1 WHERE id = " + std::to_string(id);
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// vuln: path-traversal
std::string read_file(const std::string& base, const std::string& name) {
    std::ifstream in(base + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// safe: path-traversal
std::string read_file_safe(const fs::path& base, const std::string& name) {
    fs::path root = fs::weakly_canonical(base);
    fs::path full = fs::weakly_canonical(root / name);
    auto [end, _] = std::mismatch(root.begin(), root.end(), full.begin(), full.end());
    if (end != root.end()) throw std::invalid_argument("path escapes base directory");
    std::ifstream in(full);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// vuln: path-traversal
void save_upload(const fs::path& dir, const std::string& filename, const std::string& data) {
    std::ofstream out(dir / filename, std::ios::binary);
    out << data;
}

// safe: path-traversal
void save_upload_safe(const fs::path& dir, const std::string& filename, const std::string& data) {
    fs::path name = fs::path(filename).filename();
    if (name.empty() || name == "." || name == "..") throw std::invalid_argument("bad file name");
    std::ofstream out(dir / name, std::ios::binary);
    out << data;
}

// vuln: path-traversal
bool delete_report(const std::string& user) {
    return fs::remove("/srv/reports/" + user + ".pdf");
}

// safe: path-traversal
bool delete_report_safe(const std::string& user) {
    for (char c : user)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return fs::remove("/srv/reports/" + user + ".pdf");
}

// vuln: path-traversal
FILE* open_log(const char* name) {
    std::string path = std::string("/var/log/app/") + name;
    return std::fopen(path.c_str(), "r");
}

// safe: path-traversal
std::string load_settings() {
    const char* home = std::getenv("HOME");
    std::ifstream in(std::string(home ? home : ".") + "/.config/app/settings.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// vuln: format-string
void log_message(const std::string& msg) {
    printf(msg.c_str());
}

// safe: format-string
void log_message_safe(const std::string& msg) {
    std::printf("%s\n", msg.c_str());
}

// vuln: format-string
void report_error(const std::string& what) {
    std::fprintf(stderr, what.c_str());
}

// safe: format-string
void report_error_safe(const std::string& what) {
    std::cerr << "error: " << what << '\n';
}

// vuln: buffer-overflow
void copy_name(char* dst, const std::string& src) {
    std::strcpy(dst, src.c_str());
}

// safe: buffer-overflow
void copy_name_safe(char* dst, std::size_t n, const std::string& src) {
    if (n == 0) return;
    std::size_t len = std::min(n - 1, src.size());
    std::memcpy(dst, src.data(), len);
    dst[len] = '\0';
}

// vuln: buffer-overflow
std::string greet(const char* name) {
    char buf[64];
    std::sprintf(buf, "Hello, %s!", name);
    return buf;
}

// safe: buffer-overflow
std::string greet_safe(const std::string& name) {
    return "Hello, " + name + "!";
}

// vuln: buffer-overflow
void make_key(char* out, const char* prefix, const char* id) {
    strcpy(out, prefix);
    strcat(out, ":");
    strcat(out, id);
}

// safe: buffer-overflow
std::string make_key_safe(const std::string& prefix, const std::string& id) {
    return prefix + ":" + id;
}

// vuln: buffer-overflow
std::string read_name() {
    char buf[32];
    std::scanf("%s", buf);
    return buf;
}

// safe: buffer-overflow
std::string read_name_safe() {
    std::string name;
    std::getline(std::cin, name);
    return name;
}

// vuln: memory-safety
bool grow(int*& data, std::size_t& cap) {
    cap *= 2;
    data = static_cast<int*>(std::realloc(data, cap * sizeof(int)));
    return true;
}

// vuln: memory-safety
// (relabelled: `return false` after `data = realloc(data, ...)` leaks the old block)
bool grow_safe(int*& data, std::size_t& cap) {
    data = static_cast<int*>(std::realloc(data, cap * 2 * sizeof(int)));
    if (!data) return false;
    cap *= 2;
    return true;
}

// safe: memory-safety
char* alloc_buffer(std::size_t n) {
    char* p = static_cast<char*>(std::malloc(n));
    std::size_t half = n / 2;
    (void)half;
    if (p == nullptr) throw std::bad_alloc();
    std::memset(p, 0, n);
    return p;
}

// vuln: command-injection
void run_hook(const std::string& hook) {
    std::string script = "/etc/app/hooks/" + hook + ".sh";
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
}

// safe: command-injection
void run_hook_safe(const std::string& hook) {
    static const std::vector<std::string> known{"pre-start", "post-stop"};
    if (std::find(known.begin(), known.end(), hook) == known.end()) return;
    std::string script = "/etc/app/hooks/" + hook + ".sh";
    execl(script.c_str(), script.c_str(), static_cast<char*>(nullptr));
}

// vuln: format-string
void audit(const std::string& event) {
    syslog(LOG_NOTICE, event.c_str());
}

// safe: format-string
void audit_safe(const std::string& event) {
    syslog(LOG_NOTICE, "%s", event.c_str());
}

// vuln: buffer-overflow
void append_suffix(char* name, const std::string& suffix) {
    std::strcat(name, suffix.c_str());
}

// safe: buffer-overflow
void append_suffix_safe(std::string& name, const std::string& suffix) {
    name += suffix;
}

// safe: path-traversal
std::vector<std::string> list_reports(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".pdf") names.push_back(e.path().filename().string());
    return names;
}
