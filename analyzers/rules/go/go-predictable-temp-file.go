package export

import (
	"os"
	"path/filepath"
)

func Export(data []byte) (string, error) {
	// ruleid: go-predictable-temp-file
	f, err := os.Create("/tmp/export.csv")
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = f.Write(data)
	return f.Name(), err
}

func Cache(data []byte) error {
	// ruleid: go-predictable-temp-file
	return os.WriteFile(filepath.Join(os.TempDir(), "app-cache.json"), data, 0600)
}

func ExportSafely(data []byte) (string, error) {
	// ok: go-predictable-temp-file
	f, err := os.CreateTemp("", "export-*.csv")
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = f.Write(data)
	return f.Name(), err
}

func InPrivateDir(data []byte) error {
	dir, err := os.MkdirTemp("", "job-")
	if err != nil {
		return err
	}
	// ok: go-predictable-temp-file
	return os.WriteFile(filepath.Join(dir, "cache.json"), data, 0600)
}
