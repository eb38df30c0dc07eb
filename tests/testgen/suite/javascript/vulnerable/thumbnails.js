// Makes thumbnails of uploaded images with ImageMagick.
const { exec } = require('child_process');

function makeThumbnail(fileName) {
  return new Promise((resolve, reject) => {
    exec(`convert uploads/${fileName} -resize 128x128 thumbs/${fileName}`, (err) => {
      if (err) reject(err);
      else resolve(`thumbs/${fileName}`);
    });
  });
}

module.exports = { makeThumbnail };
