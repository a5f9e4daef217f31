#!/usr/bin/env bash
# Fetches the pure-Python packages the vendored-package tests deploy, from Debian's archive (never PyPI, never
# committed): bookworm's python3-flask and its dependencies (and python3-starlette with anyio, sniffio, idna), with `apt-get download` + `dpkg-deb -x`, into
# app/target/python-packages/flask/ (the content of usr/lib/python3/dist-packages, *.egg-info / *.dist-info
# included). markupsafe's compiled _speedups is dropped: markupsafe falls back to pure Python, and a deploy
# refuses native extensions. Idempotent: a complete folder is left as it is. When nothing can be fetched (no
# apt-get, offline) it says so and exits 0; the tests that need the packages then fail under CI=true, naming
# this script, and are skipped otherwise (support/PythonTestPackages).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly TARGET=app/target/python-packages
readonly FLASK_PACKAGES=(python3-flask python3-werkzeug python3-jinja2 python3-markupsafe python3-itsdangerous
  python3-click python3-blinker)
readonly STARLETTE_PACKAGES=(python3-starlette python3-anyio python3-sniffio python3-idna)
readonly COMPLETE=.complete

fetch() { # $1: folder name under $TARGET, then the Debian packages
  local name=$1 dest="$TARGET/$1" work
  shift
  if [ -f "$dest/$COMPLETE" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "python-test-packages: apt-get/dpkg-deb not found: cannot fetch $name (tests that need it fail under CI)" >&2
    return 0
  fi
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the folder of this call
  trap "rm -rf '$work'" RETURN
  # A fresh machine may have no package lists yet: as root, fetch them once and try again.
  if ! (cd "$work" && apt-get download -qq "$@" >/dev/null 2>"$work/apt.log") \
    && ! { [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>>"$work/apt.log" \
      && (cd "$work" && apt-get download -qq "$@" >/dev/null 2>>"$work/apt.log"); }; then
    echo "python-test-packages: could not download $* (offline, or no apt lists: run apt-get update):" >&2
    sed 's/^/  /' "$work/apt.log" >&2
    return 0
  fi
  mkdir -p "$work/root"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
  done
  find "$work/root/usr/lib/python3/dist-packages" \( -name '*.so' -o -name '__pycache__' \) -prune -exec rm -rf {} +
  rm -rf "$dest"
  mkdir -p "$TARGET"
  cp -r "$work/root/usr/lib/python3/dist-packages" "$dest"
  touch "$dest/$COMPLETE"
  echo "python-test-packages: $name from Debian ($*) in $dest"
}

fetch flask "${FLASK_PACKAGES[@]}"
fetch starlette "${STARLETTE_PACKAGES[@]}"
