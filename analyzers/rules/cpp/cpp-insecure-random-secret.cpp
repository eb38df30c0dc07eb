#include <cstdlib>
#include <openssl/rand.h>
#include <random>
#include <string>

std::string make_session_token() {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  // ruleid: cpp-insecure-random-secret
  std::mt19937 gen(rd());
  std::uniform_int_distribution<int> pick(0, sizeof alphabet - 2);
  std::string token;
  for (int i = 0; i < 32; ++i) token += alphabet[pick(gen)];
  return token;
}

unsigned reset_code() {
  // ruleid: cpp-insecure-random-secret
  unsigned otp = std::rand() % 1000000;
  return otp;
}

std::string make_session_token_safely() {
  unsigned char buf[32];
  // ok: cpp-insecure-random-secret
  if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes");
  return hex(buf, sizeof buf);
}

double jitter_ms() {
  // ok: cpp-insecure-random-secret
  std::mt19937 gen(std::random_device{}());
  std::uniform_real_distribution<double> d(0, 50);
  // ok: cpp-insecure-random-secret
  return d(gen) + std::rand() % 3;
}
