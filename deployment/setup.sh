#!/usr/bin/env bash
# Installs what the deployment manager runs besides Node: nginx, from the distribution's
# packages. Does nothing when nginx is already there. `npm test` runs it first (pretest).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing nginx from the distribution's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
# Debian starts the packaged site on port 80; the manager runs nginx with its own configuration only.
if command -v service >/dev/null 2>&1; then $SUDO service nginx stop >/dev/null 2>&1 || true; fi
"$(command -v nginx || echo /usr/sbin/nginx)" -v
