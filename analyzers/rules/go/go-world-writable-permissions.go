package deploy

import (
	"io/ioutil"
	"os"
)

func WriteConfig(path string, data []byte) error {
	// ruleid: go-world-writable-permissions
	return os.WriteFile(path, data, 0777)
}

func MakeShared(path string) error {
	// ruleid: go-world-writable-permissions
	if err := os.Chmod(path, 0o777); err != nil {
		return err
	}
	// ruleid: go-world-writable-permissions
	return ioutil.WriteFile(path+".lock", nil, os.ModePerm)
}

func WriteSecret(path string, key []byte) error {
	// ok: go-world-writable-permissions
	return os.WriteFile(path, key, 0600)
}

func WriteReport(path string, data []byte) error {
	// ok: go-world-writable-permissions -- 0666 & ^umask, like os.Create
	return os.WriteFile(path, data, 0666)
}

func Prepare(dir string) error {
	// ok: go-world-writable-permissions
	if err := os.MkdirAll(dir, 0777); err != nil {
		return err
	}
	// ok: go-world-writable-permissions
	f, err := os.OpenFile(dir+"/out.log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0644)
	if err != nil {
		return err
	}
	return f.Close()
}
