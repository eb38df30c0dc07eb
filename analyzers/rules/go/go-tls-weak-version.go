package server

import (
	"crypto/tls"
	"net/http"
)

func Legacy() *http.Server {
	return &http.Server{
		Addr: ":443",
		// ruleid: go-tls-weak-version
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS10},
	}
}

func Client(cfg *tls.Config) {
	// ruleid: go-tls-weak-version
	cfg.MinVersion = tls.VersionSSL30
}

func Modern() *tls.Config {
	// ok: go-tls-weak-version
	return &tls.Config{MinVersion: tls.VersionTLS12}
}

func Capped() *tls.Config {
	// ok: go-tls-weak-version
	return &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13}
}
