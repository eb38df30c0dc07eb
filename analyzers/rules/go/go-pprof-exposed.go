package main

import (
	"log"
	"net/http"
	_ "net/http/pprof"
)

func serveAPI(mux *http.ServeMux) {
	// ok: go-pprof-exposed
	log.Fatal(http.ListenAndServe(":8080", mux))
}

func main() {
	go func() {
		// ok: go-pprof-exposed
		log.Println(http.ListenAndServe("localhost:6060", nil))
	}()
	go func() {
		// ruleid: go-pprof-exposed
		log.Println(http.ListenAndServe(":6060", nil))
	}()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	// ruleid: go-pprof-exposed
	log.Fatal(http.ListenAndServeTLS("0.0.0.0:8443", "cert.pem", "key.pem", nil))
}
