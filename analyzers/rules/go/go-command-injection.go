package tools

import (
	"context"
	"net/http"
	"os/exec"
	sys "os/exec"
	"strconv"

	"github.com/gin-gonic/gin"
)

func Thumbnail(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: go-command-injection
	out, err := exec.Command("sh", "-c", "convert "+name+" -resize 64x64 thumb.png").CombinedOutput()
	if err != nil {
		http.Error(w, string(out), 500)
	}
}

func RunTool(c *gin.Context) {
	tool := c.Query("tool")
	// ruleid: go-command-injection
	cmd := exec.CommandContext(c.Request.Context(), tool, "--version")
	_ = cmd.Run()
}

func Ping(ctx context.Context, r *http.Request) ([]byte, error) {
	host := r.FormValue("host")
	// ruleid: go-command-injection
	return exec.CommandContext(ctx, "/bin/bash", "-c", "ping -c 1 "+host).Output()
}

func ThumbnailSafely(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ok: go-command-injection
	out, err := exec.Command("convert", "--", name, "-resize", "64x64", "thumb.png").CombinedOutput()
	if err != nil {
		http.Error(w, string(out), 500)
	}
}

func Top(ctx context.Context, r *http.Request) ([]byte, error) {
	pid, err := strconv.Atoi(r.FormValue("pid"))
	if err != nil {
		return nil, err
	}
	// ok: go-command-injection
	return exec.CommandContext(ctx, "sh", "-c", "top -b -n 1 -p "+strconv.Itoa(pid)).Output()
}

func Uptime() ([]byte, error) {
	// ok: go-command-injection
	return exec.Command("sh", "-c", "uptime | cut -d, -f1").Output()
}

// Allowlists kept in a variable: a name bound once to literals and never changed is a guard.
var allowedScripts = map[string]bool{"backup": true, "cleanup": true}

var extraScripts = map[string]bool{"backup": true}

func RunScript(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("script")
	if !allowedScripts[name] {
		http.Error(w, "unknown script", 400)
		return
	}
	// ok: go-command-injection
	out, _ := exec.Command("sh", "-c", "./scripts/"+name+".sh").Output()
	w.Write(out)
}

func RunScriptOk(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("script")
	if _, ok := allowedScripts[name]; !ok {
		return
	}
	// ok: go-command-injection
	exec.Command("sh", "-c", "./scripts/"+name+".sh").Run()
}

func RunExtra(w http.ResponseWriter, r *http.Request) {
	extraScripts[r.FormValue("add")] = true
	name := r.FormValue("script")
	if !extraScripts[name] {
		return
	}
	// ruleid: go-command-injection
	exec.Command("sh", "-c", "./scripts/"+name+".sh").Run()
}

func Archive(folder string) error {
	// ruleid: go-command-injection
	return sys.Command("sh", "-c", "tar czf backup.tgz "+folder).Run()
}

func ArchiveSafely(folder string) error {
	// ok: go-command-injection
	return sys.Command("tar", "czf", "backup.tgz", "--", folder).Run()
}
