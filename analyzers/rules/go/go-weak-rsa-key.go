package keys

import (
	"crypto/rand"
	"crypto/rsa"
)

const legacyBits = 1024

func DeviceKey() (*rsa.PrivateKey, error) {
	// ruleid: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 1024)
}

func TestKey() (*rsa.PrivateKey, error) {
	const bits = 512
	// ruleid: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, bits)
}

func LegacyKey() (*rsa.PrivateKey, error) {
	// ruleid: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, legacyBits)
}

func SigningKey() (*rsa.PrivateKey, error) {
	// ok: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 3072)
}

func ServerKey() (*rsa.PrivateKey, error) {
	size := 4096
	// ok: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, size)
}

func MinimumKey() (*rsa.PrivateKey, error) {
	// ok: go-weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 2048)
}
