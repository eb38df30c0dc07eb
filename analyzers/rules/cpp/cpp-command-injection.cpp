#include <cstdlib>
#include <iostream>
#include <string>

int convert(int argc, char **argv) {
  std::string cmd = "convert " + std::string(argv[1]) + " out.png";
  // ruleid: cpp-command-injection
  return std::system(cmd.c_str());
}

void lookup() {
  std::string host;
  std::getline(std::cin, host);
  std::string cmd = "nslookup " + host;
  // ruleid: cpp-command-injection
  FILE *p = popen(cmd.c_str(), "r");
  pclose(p);
}

void archive() {
  std::string name;
  std::cin >> name;
  // ruleid: cpp-command-injection
  system(("tar czf /backup/" + name + ".tgz /srv/data").c_str());
}

void housekeeping(int argc, char **argv) {
  // ok: cpp-command-injection
  std::system("rm -rf /var/cache/app/tmp");
  int pid = std::stoi(argv[1]);
  std::string cmd = "kill -HUP " + std::to_string(pid);
  // ok: cpp-command-injection
  std::system(cmd.c_str());
  const std::string fixed = "uptime";
  // ok: cpp-command-injection
  FILE *p = popen(fixed.c_str(), "r");
  pclose(p);
}
