package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func Insecure() *http.Client {
	tr := &http.Transport{
		// ruleid: go-tls-insecure-skip-verify
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &http.Client{Transport: tr}
}

func Default() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{}
	// ruleid: go-tls-insecure-skip-verify
	tr.TLSClientConfig.InsecureSkipVerify = true
	return &http.Client{Transport: tr}
}

func PrivateCA(caPEM []byte) *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	tr := &http.Transport{
		// ok: go-tls-insecure-skip-verify
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
	return &http.Client{Transport: tr}
}

func Strict() *tls.Config {
	// ok: go-tls-insecure-skip-verify
	return &tls.Config{InsecureSkipVerify: false}
}
