// Package webhooks delivers events to the URLs customers register.
package webhooks

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Deliver posts the event to the customer's endpoint.
func Deliver(endpoint string, event string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "https" {
		return errors.New("webhook endpoints must be https URLs")
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".internal") {
		return errors.New("webhook endpoint is internal")
	}
	if ip := net.ParseIP(host); ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()) {
		return errors.New("webhook endpoint is internal")
	}
	resp, err := http.Post(u.String(), "application/json", strings.NewReader(event))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}
