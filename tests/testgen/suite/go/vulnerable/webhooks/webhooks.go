// Package webhooks delivers events to the URLs customers register.
package webhooks

import (
	"fmt"
	"net/http"
	"strings"
)

// Deliver posts the event to the customer's endpoint.
func Deliver(endpoint string, event string) error {
	resp, err := http.Post(endpoint, "application/json", strings.NewReader(event))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}
