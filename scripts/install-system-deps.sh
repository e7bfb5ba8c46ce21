#!/bin/sh
# Installs the system tools conceptmap uses when they are missing: Graphviz (`dot`) and the
# DejaVu fonts the drawings name. With --test, also what the tests drive: librsvg
# (`rsvg-convert`), tmux, and Chromium with its driver. Uses apt; sudo when not root.
set -e
missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
fc-list 2>/dev/null | grep -q "DejaVu Sans" || missing="$missing fonts-dejavu-core"
if [ "${1:-}" = "--test" ]; then
    command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
    command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
    # the browser test of `conceptmap serve` drives Debian's Chromium through its driver
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    [ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
fi
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "conceptmap: missing:$missing. There is no apt-get here: install Graphviz (https://graphviz.org/download/) and rerun." >&2
    exit 3
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "conceptmap: missing:$missing and not root without sudo: run 'apt-get install$missing' as root." >&2
        exit 3
    fi
fi
echo "conceptmap: installing$missing with apt-get" >&2
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
