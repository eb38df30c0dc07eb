package archive

import (
	"archive/tar"
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func Unzip(src, dest string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		// ruleid: go-zip-slip
		target := filepath.Join(dest, f.Name)
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		io.Copy(out, rc)
		out.Close()
		rc.Close()
	}
	return nil
}

func Untar(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		// ruleid: go-zip-slip
		out, err := os.Create(filepath.Join(dest, hdr.Name))
		if err != nil {
			return err
		}
		io.Copy(out, tr)
		out.Close()
	}
}

func UnzipSafely(src, dest string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		if !filepath.IsLocal(f.Name) {
			return fmt.Errorf("illegal path %q", f.Name)
		}
		// ok: go-zip-slip
		target := filepath.Join(dest, f.Name)
		if err := extract(f, target); err != nil {
			return err
		}
	}
	return nil
}

func FlatTarget(dest string, f *zip.File) string {
	// ok: go-zip-slip
	return filepath.Join(dest, filepath.Base(f.Name))
}

func extract(f *zip.File, target string) error { return nil }
