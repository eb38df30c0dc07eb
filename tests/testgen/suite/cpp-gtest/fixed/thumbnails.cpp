// Thumbnails for uploaded images, made by ImageMagick.
#include <cstdlib>
#include <string>

// One shell word: single quotes, with each ' closed, escaped and reopened.
static std::string shell_quote(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int make_thumbnail(const std::string &image) {
  std::string cmd = "convert uploads/" + shell_quote(image) + " -resize 128x128 thumbs/" + shell_quote(image);
  return system(cmd.c_str());
}
