// Thumbnails for uploaded images, made by ImageMagick.
#include <cstdlib>
#include <string>

int make_thumbnail(const std::string &image) {
  std::string cmd = "convert uploads/" + image + " -resize 128x128 thumbs/" + image;
  return system(cmd.c_str());
}
