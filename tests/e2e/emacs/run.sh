#!/bin/sh
# End-to-end test in Emacs 28 + Eglot (Debian's emacs-nox and elpa-eglot), in batch mode, through
# editors/emacs/vigil.el. Usage: run.sh VIGIL_BIN REPO_ROOT. Exit 77 (skip) without emacs or eglot.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
root=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! command -v emacs >/dev/null 2>&1 || ! emacs --batch -q --eval "(require 'eglot)" >/dev/null 2>&1; then
  echo "emacs e2e: SKIP (emacs-nox and elpa-eglot not installed)" >&2
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-emacs-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/project/src"
git -C "$tmp/project" init -q
cat >"$tmp/project/app.py" <<'PY'
import requests


def fetch(url, expr):
    r = requests.get(url, verify=False)
    return eval(expr)
PY
HOME=$tmp VIGIL_BIN=$bin VIGIL_E2E_PROJECT=$tmp/project \
  timeout -k 5 120 emacs --batch -q -l eglot -l "$root/editors/emacs/vigil.el" -l "$here/test.el"
