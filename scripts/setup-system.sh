#!/usr/bin/env bash
# Installs the Debian packages plugin-dynamic needs, and nothing when they are already there.
#   scripts/setup-system.sh main    bubblewrap (the sandbox) and cgroup-tools (per-job memory and process bounds)
#   scripts/setup-system.sh test    the same plus chromium (the panel's end-to-end tests), openssl (a throwaway
#                                   certificate for the egress tests' HTTPS fixture server) and postgresql (the fleet
#                                   tests start a private cluster of their own; the system service is not used)
# As root it runs apt-get itself, otherwise through sudo; when neither works it says which packages
# to install and stops.
set -euo pipefail

profile="${1:-main}"
case "$profile" in
  main) wanted=(bubblewrap:bwrap cgroup-tools:cgexec) ;;
  test) wanted=(bubblewrap:bwrap cgroup-tools:cgexec chromium:chromium openssl:openssl postgresql:/usr/lib/postgresql/*/bin/initdb) ;;
  *) echo "setup-system: unknown profile \"$profile\" (use main or test)" >&2; exit 2 ;;
esac

missing=()
for entry in "${wanted[@]}"; do
  package="${entry%%:*}"
  command="${entry#*:}"
  if [[ "$command" == /* ]]; then
    # A path pattern: Debian keeps PostgreSQL's programs off PATH, in /usr/lib/postgresql/<version>/bin.
    compgen -G "$command" >/dev/null || missing+=("$package")
  else
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-system: installing ${missing[*]}" >&2
if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: this is not a Debian-like system (no apt-get). Install ${missing[*]} with your system's package manager, then run the command again." >&2
  exit 1
fi

run_apt=()
if [ "$(id -u)" -eq 0 ]; then
  run_apt=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  # sudo -n succeeds without a password prompt; on a terminal sudo may ask for one.
  run_apt=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  echo "setup-system: root is needed to install ${missing[*]}, and sudo is not available here." >&2
  echo "setup-system: as root, run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if ! "${run_apt[@]}" apt-get update -y || ! "${run_apt[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  echo "setup-system: apt-get could not install ${missing[*]}; as root, run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
