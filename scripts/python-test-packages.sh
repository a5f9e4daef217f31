#!/usr/bin/env bash
# Fetches the pure-Python packages the vendored-package tests deploy, from Debian's archive (never PyPI, never
# committed), with `apt-get download` + `dpkg-deb -x`, into app/target/python-packages/<set>/ (the content of
# usr/lib/python3/dist-packages, *.egg-info / *.dist-info included):
#   flask      bookworm's Flask 2.2 (werkzeug, jinja2, markupsafe, itsdangerous, click, blinker)
#   starlette  bookworm's Starlette 0.26 (anyio, sniffio, idna)
#   fastapi    trixie's FastAPI 0.115 (starlette 0.46, anyio 4.8, sniffio, idna, typing_extensions 4.13) with
#              pydantic v1: trixie's pydantic 2 needs the compiled pydantic-core, so its bundled pure-Python
#              `pydantic/v1` folder becomes the top-level `pydantic/` (its `pydantic.v1` imports rewritten)
#   django     trixie's Django 4.2 (asgiref, sqlparse)
# Bookworm comes from the machine's own apt configuration; trixie through a private one under app/target/apt-trixie/
# (its own sources.list, package lists and cache, on the Debian mirror the machine uses): the system's apt
# configuration is never changed. Compiled files (*.so: markupsafe's _speedups, which falls back to pure Python)
# are dropped: a deploy refuses native extensions. Idempotent: a complete folder (with its .complete marker) is left
# as it is. When nothing can be fetched (no apt-get, offline) it says so and exits 0; the tests that need the
# packages then fail under CI=true, naming this script, and are skipped otherwise (support/PythonTestPackages).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly TARGET=app/target/python-packages
readonly COMPLETE=.complete
readonly FLASK_PACKAGES=(python3-flask python3-werkzeug python3-jinja2 python3-markupsafe python3-itsdangerous
  python3-click python3-blinker)
readonly STARLETTE_PACKAGES=(python3-starlette python3-anyio python3-sniffio python3-idna)
readonly FASTAPI_PACKAGES=(python3-fastapi python3-starlette python3-anyio python3-sniffio python3-idna
  python3-typing-extensions python3-pydantic)
readonly DJANGO_PACKAGES=(python3-django python3-asgiref python3-sqlparse)

# The private apt configuration for trixie: every option apt-get needs to leave the system's own alone.
readonly TRIXIE_DIR=$PWD/app/target/apt-trixie
readonly TRIXIE_APT=(-o "Dir::Etc::sourcelist=$TRIXIE_DIR/sources.list" -o "Dir::Etc::sourceparts=$TRIXIE_DIR/empty"
  -o "Dir::Etc::preferences=$TRIXIE_DIR/empty/preferences" -o "Dir::Etc::preferencesparts=$TRIXIE_DIR/empty"
  -o "Dir::State::lists=$TRIXIE_DIR/lists" -o "Dir::Cache=$TRIXIE_DIR/cache")

# The Debian mirror the machine's apt uses (deb.debian.org when it names none): the only archive the network reaches.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | sed -nE 's#^(deb[[:space:]]+(\[[^]]*\][[:space:]]+)?|URIs:[[:space:]]*)(https?://[^[:space:]]*/debian)/?([[:space:]].*)?$#\3#p' \
    | head -n 1)
  echo "${uri:-http://deb.debian.org/debian}"
}

private_trixie_apt() {
  mkdir -p "$TRIXIE_DIR/lists/partial" "$TRIXIE_DIR/cache/archives/partial" "$TRIXIE_DIR/empty"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) trixie main" \
    >"$TRIXIE_DIR/sources.list"
}

# Downloads the packages into the current folder: with the lists there are, else (or when they are stale: the archive
# dropped a version) with fresh ones. The system's lists are refreshed only as root, as before; the private ones always.
download() { # $1: "system" or "trixie", then the Debian packages
  local release=$1 apt=()
  shift
  if [ "$release" = trixie ]; then
    apt=("${TRIXIE_APT[@]}")
  fi
  if apt-get "${apt[@]}" download -qq "$@" >/dev/null 2>>apt.log; then
    return 0
  fi
  if [ "$release" = system ] && [ "$(id -u)" -ne 0 ]; then
    return 1
  fi
  apt-get "${apt[@]}" update -qq >/dev/null 2>>apt.log && apt-get "${apt[@]}" download -qq "$@" >/dev/null 2>>apt.log
}

fetch() { # $1: folder name under $TARGET, $2: "system" or "trixie", then the Debian packages
  local name=$1 release=$2 dest="$TARGET/$1" work
  shift 2
  if [ -f "$dest/$COMPLETE" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "python-test-packages: apt-get/dpkg-deb not found: cannot fetch $name (tests that need it fail under CI)" >&2
    return 0
  fi
  if [ "$release" = trixie ]; then
    private_trixie_apt
  fi
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the folder of this call
  trap "rm -rf '$work'" RETURN
  if ! (cd "$work" && download "$release" "$@"); then
    echo "python-test-packages: could not download $* from $release (offline, or no apt lists: run apt-get update):" >&2
    sed 's/^/  /' "$work/apt.log" >&2
    return 0
  fi
  mkdir -p "$work/root"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
  done
  local packages="$work/root/usr/lib/python3/dist-packages"
  find "$packages" \( -name '*.so' -o -name '__pycache__' \) -prune -exec rm -rf {} +
  if [ -d "$packages/pydantic/v1" ]; then
    pydantic_v1 "$packages"
  fi
  rm -rf "$dest"
  mkdir -p "$TARGET"
  cp -r "$packages" "$dest"
  touch "$dest/$COMPLETE"
  echo "python-test-packages: $name from Debian $release ($*) in $dest"
}

# pydantic 2 without its compiled core cannot import; the pure-Python pydantic 1 it bundles as pydantic.v1 can, and
# FastAPI 0.115 runs on it (it tells the two apart by pydantic.version.VERSION). Its distribution metadata says 1.x.
pydantic_v1() { # $1: the dist-packages folder
  local packages=$1 version
  mv "$packages/pydantic/v1" "$packages/pydantic-v1"
  rm -rf "$packages/pydantic" "$packages"/pydantic-*.dist-info "$packages"/pydantic-*.egg-info
  mv "$packages/pydantic-v1" "$packages/pydantic"
  find "$packages/pydantic" -name '*.py' -exec sed -i -E 's/\bpydantic\.v1\b/pydantic/g' {} +
  version=$(sed -nE "s/^VERSION = '([^']+)'.*/\1/p" "$packages/pydantic/version.py")
  mkdir -p "$packages/pydantic-$version.dist-info"
  printf 'Metadata-Version: 2.1\nName: pydantic\nVersion: %s\nRequires-Dist: typing-extensions>=4.2.0\n' "$version" \
    >"$packages/pydantic-$version.dist-info/METADATA"
  echo pydantic >"$packages/pydantic-$version.dist-info/top_level.txt"
}

fetch flask system "${FLASK_PACKAGES[@]}"
fetch starlette system "${STARLETTE_PACKAGES[@]}"
fetch fastapi trixie "${FASTAPI_PACKAGES[@]}"
fetch django trixie "${DJANGO_PACKAGES[@]}"
