#include <cstdio>
#include <cstring>
#include <string>

class Account {
 public:
  void set_owner(const std::string &owner) {
    // ruleid: cpp-std-unbounded-copy
    std::strcpy(owner_, owner.c_str());
  }
  void set_label(const char *first, const char *last) {
    // ruleid: cpp-std-unbounded-copy
    std::sprintf(label_, "%s %s", first, last);
    // ruleid: cpp-std-unbounded-copy
    std::strcat(label_, last);
  }
  void set_owner_safely(const std::string &owner) {
    // ok: cpp-std-unbounded-copy
    std::snprintf(owner_, sizeof owner_, "%s", owner.c_str());
    // ok: cpp-std-unbounded-copy
    std::strcpy(label_, "anonymous");
    // ok: cpp-std-unbounded-copy
    std::sprintf(label_, "#%d", id_);
    // ok: cpp-std-unbounded-copy
    name_ = owner;
  }

 private:
  char owner_[32];
  char label_[64];
  int id_ = 0;
  std::string name_;
};
