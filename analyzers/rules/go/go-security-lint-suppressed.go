package files

import (
	"crypto/md5"
	"os"
)

func Read(name string) ([]byte, error) {
	// ruleid: go-security-lint-suppressed
	return os.ReadFile(name) // #nosec G304
}

func Sum(b []byte) [16]byte {
	// ruleid: go-security-lint-suppressed
	return md5.Sum(b) //nolint:gosec,errcheck
}

func Load(name string) []byte {
	// ruleid: go-security-lint-suppressed
	data, _ := os.ReadFile(name) //nolint
	return data
}

func Close(f *os.File) {
	// ok: go-security-lint-suppressed
	f.Close() //nolint:errcheck
}

// ok: go-security-lint-suppressed
// Read returns the file; gosec's G304 is about paths from users, which this is not.
func ReadConfig() ([]byte, error) {
	return os.ReadFile("/etc/app/config.yaml")
}
