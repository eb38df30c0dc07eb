// Package netcheck runs reachability checks for the status page.
package netcheck

import "os/exec"

// Ping reports whether host answers one ICMP echo.
func Ping(host string) bool {
	cmd := exec.Command("sh", "-c", "ping -c 1 -W 1 "+host)
	return cmd.Run() == nil
}
