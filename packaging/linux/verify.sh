#!/usr/bin/env bash
# Prove the .deb on fresh Debian systems without network:
#
#   packaging/linux/verify.sh DEB [SUITE...]        (SUITE: bullseye bookworm; default both)
#
# Per suite: a minimal Debian (debootstrap --variant=minbase, kept as a base root under
# ${JXZP_CACHE:-~/.cache/jxzp}/roots/verify-SUITE-ARCH-base) gets what a desktop has — X client
# libraries, fontconfig with a CJK UI font (fonts-wqy-microhei), shared-mime-info,
# desktop-file-utils — and then the .deb's Depends, from the mirror. A fresh copy of that
# root is then used with the network cut (unshare -n; checked: only `lo` exists):
#   1. dpkg -i the package; every ELF file of the bundle resolves its libraries (ldd);
#      the .desktop file validates; *.jxzp is registered as application/x-jxzp;
#   2. jxzp --smoke-test (offscreen);
#   3. the window under Xvfb (the host's Xvfb and openbox, reached through the X socket
#      bound into the root): waits for it with xdotool, saves a screenshot;
#   4. jxzp render --demo -o demo.pdf, checked with the host's pdffonts (every font embedded);
#   5. dpkg -r: /opt/apps/<appid> and /usr/bin/jxzp are gone, the user's data folder
#      (~/.local/share/jxzp, made by step 3) is byte-for-byte the same.
# Results, screenshots and PDFs go to dist/verify-linux/SUITE-ARCH/. Exit 0 only if every suite passes.
# Needs root, debootstrap, Xvfb, xdotool, imagemagick (import), poppler-utils (pdffonts).
set -euo pipefail
DEB="$(realpath "${1:?usage: $0 DEB [SUITE...]}")"
shift
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(bullseye bookworm)
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
APPID="$(dpkg-deb -f "$DEB" Package)"
DEB_ARCH="$(dpkg-deb -f "$DEB" Architecture)"
# package names: no version constraints (apt checks them), the first of alternatives
DEPENDS="$(dpkg-deb -f "$DEB" Depends | sed 's/ ([^)]*)//g; s/ | [^,]*//g' | tr -d ',')"
DESKTOP=(fontconfig fonts-wqy-microhei libx11-6 libxext6 libxrender1 libxi6 libxrandr2 libxcursor1
         libxinerama1 libxkbcommon0 libxkbcommon-x11-0 shared-mime-info desktop-file-utils)
APP="/opt/apps/$APPID/files/jxzp"

log() { printf '== [%s %s] %s\n' "${SUITE:-}" "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { printf '!! [%s] FAIL: %s\n' "$SUITE" "$*" | tee -a "$REPORT" >&2; FAILED=1; }
pass() { printf 'ok   [%s] %s\n' "$SUITE" "$*" | tee -a "$REPORT" >&2; }

MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
  MOUNTS=()
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "${WM_PID:-}" ] && kill "$WM_PID" 2>/dev/null || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  APP_PID="" WM_PID="" XVFB_PID=""
}
trap cleanup EXIT
bind() { mkdir -p "$2"; mount --bind "$1" "$2"; MOUNTS+=("$2"); }
safe_rm() { # never delete through a mount (a bound /dev or /proc) left by an interrupted run
  local m
  for m in $(findmnt -rn -o TARGET | grep "^$1/" | sort -r); do umount -l "$m"; done
  if findmnt -rn -o TARGET | grep -q "^$1/"; then echo "mounts left under $1" >&2; exit 1; fi
  rm -rf "$1"
}

# Run in the root with no network: a new, empty network namespace (only lo, down).
offline() {
  unshare -n chroot "$R" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 "$@"
}

base_root() { # the cached desktop-like root of a suite (made once, with network)
  local base="$CACHE/roots/verify-$SUITE-$DEB_ARCH-base"
  if [ ! -f "$base/.desktop-ready" ]; then
    [ -x "$base/bin/sh" ] || debootstrap --variant=minbase --arch="$DEB_ARCH" "$SUITE" "$base" "$MIRROR" \
      >"$CACHE/logs/deboot-verify-$SUITE-$DEB_ARCH.log" 2>&1
    chroot "$base" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends ${DESKTOP[*]} && apt-get clean" >&2
    touch "$base/.desktop-ready"
  fi
  echo "$base"
}

FAILED_ANY=0
for SUITE in "${SUITES[@]}"; do
  FAILED=0
  OUTDIR="$REPO/dist/verify-linux/$SUITE-$DEB_ARCH"
  rm -rf "$OUTDIR" && mkdir -p "$OUTDIR"
  REPORT="$OUTDIR/result.txt"
  : >"$REPORT"
  BASE="$(base_root)"
  R="$CACHE/roots/verify-$SUITE-$DEB_ARCH-run"
  log "fresh root $R from $BASE"
  safe_rm "$R" && cp -a "$BASE" "$R"
  bind /proc "$R/proc"
  bind /dev "$R/dev"
  # the .deb's Depends, with network, before the cut (what apt would fetch on the office PC
  # from the distribution's own DVD/repository)
  chroot "$R" sh -c "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $DEPENDS >/dev/null && apt-get clean" \
    || { fail "apt could not install the Depends: $DEPENDS"; }
  pass "Depends installed from $SUITE: $(echo $DEPENDS | wc -w) packages"
  cp "$DEB" "$R/tmp/package.deb"

  # --- from here on: no network -------------------------------------------------------
  links="$(offline sh -c "awk 'NR>2 {sub(\":\",\"\",\$1); print \$1}' /proc/net/dev" | tr '\n' ' ')"
  [ "$links" = "lo " ] && pass "network cut (interfaces: $links)" || fail "network not cut: $links"
  offline dpkg -i /tmp/package.deb >"$OUTDIR/dpkg-i.log" 2>&1 && pass "dpkg -i" || fail "dpkg -i (see dpkg-i.log)"
  # names ldd cannot find that no file of the bundle provides either (PySide6's modules find
  # the Qt libraries only once the process has loaded them: ldd alone says "not found")
  missing="$(offline sh -c "find /opt/apps/$APPID/files -name '*.so*' -type f | xargs ldd 2>/dev/null \
    | sed -n 's/^[[:space:]]*\([^ ]*\) => not found/\1/p' | sort -u | while read -r name; do \
      [ -n \"\$(find /opt/apps/$APPID/files -name \"\$name\" | head -n 1)\" ] || echo \$name; done" || true)"
  [ -z "$missing" ] && pass "every library of the bundle resolves (ldd)" || fail "unresolved: $missing"
  offline desktop-file-validate "/usr/share/applications/$APPID.desktop" >"$OUTDIR/desktop-file-validate.log" 2>&1 \
    && pass ".desktop file valid" || fail ".desktop file (see desktop-file-validate.log)"
  offline grep -q 'application/x-jxzp:\*\.jxzp' /usr/share/mime/globs2 \
    && pass "*.jxzp registered as application/x-jxzp" || fail "*.jxzp not in /usr/share/mime/globs2"
  [ "$(offline jxzp --version 2>&1)" != "" ] && pass "/usr/bin/jxzp --version: $(offline jxzp --version 2>&1)" \
    || fail "/usr/bin/jxzp --version"
  if offline sh -c "cd /tmp && QT_QPA_PLATFORM=offscreen $APP --smoke-test" >"$OUTDIR/smoke-test.log" 2>&1; then
    pass "smoke test: $(grep '^ok   fonts' "$OUTDIR/smoke-test.log" | cut -c6-)"
  else
    fail "smoke test: $(tail -n 3 "$OUTDIR/smoke-test.log" | tr '\n' ' ')"
  fi

  # window under Xvfb: the host's X server and window manager; the app in the offline root
  exec 9>"$OUTDIR/.display"
  Xvfb -displayfd 9 -screen 0 1366x768x24 -nolisten tcp -ac >"$OUTDIR/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -s "$OUTDIR/.display" ] && break; sleep 0.1; done
  exec 9>&-
  DISP=":$(cat "$OUTDIR/.display")"
  rm -f "$OUTDIR/.display"
  if command -v openbox >/dev/null; then DISPLAY="$DISP" openbox >/dev/null 2>&1 & WM_PID=$!; fi
  bind /tmp/.X11-unix "$R/tmp/.X11-unix"
  offline sh -c "DISPLAY=$DISP exec $APP" >"$OUTDIR/app.log" 2>&1 &
  APP_PID=$!
  if DISPLAY="$DISP" timeout 60 xdotool search --sync --onlyvisible --name '绩效自评报告编制助手' >/dev/null 2>&1; then
    sleep 2  # let the first paint finish
    DISPLAY="$DISP" import -window root "$OUTDIR/window.png" && pass "window shown under Xvfb ($DISP), screenshot window.png" \
      || fail "screenshot"
  else
    fail "no window within 60 s (see app.log)"
  fi
  kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  [ -n "${WM_PID:-}" ] && { kill "$WM_PID" 2>/dev/null || true; }; WM_PID=""
  kill "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""
  umount -l "$R/tmp/.X11-unix"; unset 'MOUNTS[${#MOUNTS[@]}-1]'

  if offline sh -c "cd /tmp && $APP render --demo -o /tmp/demo.pdf" >"$OUTDIR/render.log" 2>&1; then
    cp "$R/tmp/demo.pdf" "$OUTDIR/demo.pdf"
    pdffonts "$OUTDIR/demo.pdf" >"$OUTDIR/pdffonts.txt"
    # columns: name type encoding emb sub uni object ID; the header is two lines
    not_embedded="$(awk 'NR>2 && $(NF-4) != "yes" {print $1}' "$OUTDIR/pdffonts.txt")"
    fonts="$(awk 'NR>2 {print $1}' "$OUTDIR/pdffonts.txt" | tr '\n' ' ')"
    [ -z "$not_embedded" ] && [ -n "$fonts" ] && pass "PDF rendered, every font embedded: $fonts" \
      || fail "fonts not embedded: $not_embedded"
  else
    fail "jxzp render --demo: $(tail -n 3 "$OUTDIR/render.log" | tr '\n' ' ')"
  fi

  # uninstall: the package's files go, the user's data stays
  data_sum() { offline sh -c 'cd /root/.local/share/jxzp 2>/dev/null && find . -type f -print0 | sort -z | xargs -0 sha256sum'; }
  before="$(data_sum)"
  [ -n "$before" ] && pass "user data folder exists ($(echo "$before" | wc -l) files)" || fail "no user data folder after the window run"
  offline dpkg -r "$APPID" >"$OUTDIR/dpkg-r.log" 2>&1 && pass "dpkg -r" || fail "dpkg -r (see dpkg-r.log)"
  left="$(offline sh -c "ls -d /opt/apps/$APPID /usr/bin/jxzp /usr/share/applications/$APPID.desktop 2>/dev/null" || true)"
  [ -z "$left" ] && pass "package files gone (/opt/apps/$APPID, /usr/bin/jxzp, menu entry)" || fail "left behind: $left"
  offline grep -q 'x-jxzp' /usr/share/mime/globs2 && fail "*.jxzp still registered" || pass "MIME type unregistered"
  [ "$(data_sum)" = "$before" ] && pass "user data untouched by dpkg -r" || fail "user data changed by dpkg -r"

  cleanup
  safe_rm "$R"
  if [ "$FAILED" = 0 ]; then echo "PASSED on $SUITE" | tee -a "$REPORT" >&2; else echo "FAILED on $SUITE" | tee -a "$REPORT" >&2; FAILED_ANY=1; fi
done
exit "$FAILED_ANY"
