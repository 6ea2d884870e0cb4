#!/usr/bin/env bash
# pre-commit entry for SkillAudit (see .pre-commit-hooks.yaml): runs `skillaudit` with the
# hook's arguments. Uses the `skillaudit` on PATH when there is one; otherwise builds it once
# from this checkout of the hook repository (cargo, no network beyond crates.io) into
# pre-commit's cache next to the checkout, and reuses that build afterwards.
set -euo pipefail
if command -v skillaudit >/dev/null 2>&1; then
  exec skillaudit "$@"
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$repo/.skillaudit-hook-build"
if [ ! -x "$root/bin/skillaudit" ]; then
  if ! command -v cargo >/dev/null 2>&1; then
    echo "skillaudit: neither skillaudit nor cargo is on PATH; install Rust (https://rustup.rs) or skillaudit" >&2
    exit 2
  fi
  echo "skillaudit: building the hook once (cargo install)…" >&2
  cargo install --locked --quiet --root "$root" --path "$repo/crates/skillaudit-cli" >&2
fi
exec "$root/bin/skillaudit" "$@"
