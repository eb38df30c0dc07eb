#include <algorithm>
#include <cstdlib>
#include <iostream>

struct Point { int x, y; };

Point *read_points() {
  std::size_t count;
  std::cin >> count;
  // ruleid: cpp-new-array-size-from-input
  Point *pts = new Point[count];
  for (std::size_t i = 0; i < count; ++i) std::cin >> pts[i].x >> pts[i].y;
  return pts;
}

char *make_buffer(int argc, char **argv) {
  long n = std::atol(argv[1]);
  // ruleid: cpp-new-array-size-from-input
  return new char[n * 2]();
}

Point *read_points_bounded() {
  std::size_t count;
  std::cin >> count;
  std::size_t n = std::min<std::size_t>(count, 1024);
  // ok: cpp-new-array-size-from-input
  Point *pts = new Point[n];
  return pts;
}

char *fixed_buffer() {
  const std::size_t n = 4096;
  // ok: cpp-new-array-size-from-input
  return new char[n];
}
