package shop

import (
	"crypto/tls"
	"net/http"
	"strings"
)

type Number interface {
	~int | ~int64 | ~float64
}

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func Server(addr string) *http.Server {
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS10,
		InsecureSkipVerify: true, // staging only
	}
	return &http.Server{Addr: addr, TLSConfig: cfg}
}

func Header(r *http.Request) string {
	v := r.Header.Get("X-Forwarded-For")
	if strings.Contains(v, ",") {
		return strings.Split(v, ",")[0]
	}
	return v
}
