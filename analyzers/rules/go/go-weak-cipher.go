package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rc4"
)

func LegacyEncrypt(key, data []byte) ([]byte, error) {
	// ruleid: go-weak-cipher
	block, err := des.NewTripleDESCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	block.Encrypt(out, data)
	return out, nil
}

func Stream(key, data []byte) []byte {
	// ruleid: go-weak-cipher
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func Encrypt(key, nonce, data []byte) ([]byte, error) {
	// ok: go-weak-cipher
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	// ok: go-weak-cipher
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, data, nil), nil
}
