#!/usr/bin/env bash
# Builds and installs regocheck, the Rego engine the OPA policy tests run on (regorus, MIT, behind a
# small command line; see ../shared/tools/regocheck/README.md): no OPA binary can be installed on the
# CI machines. Its source is the shared tools folder beside the repository (read-only in CI): its
# build.sh copies the source into a temporary folder of ours and builds there with cargo and Debian's
# packaged Rust crates (installing the missing ones with apt). Runs as root and is idempotent: when
# /usr/local/bin/regocheck was built from the same source, it returns at once.
#   REGOCHECK_SOURCE  the source folder (default: ../shared/tools/regocheck from the repository root)
#   REGOCHECK_PREFIX  where bin/regocheck goes (default: /usr/local)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBIAN_FRONTEND=noninteractive
SOURCE="${REGOCHECK_SOURCE:-../shared/tools/regocheck}"
PREFIX="${REGOCHECK_PREFIX:-/usr/local}"
BIN="${PREFIX}/bin/regocheck"
STAMP="${PREFIX}/share/regocheck/source.sha256"

log() { printf '[install-regocheck] %s\n' "$*" >&2; }

if [[ ! -f "${SOURCE}/build.sh" ]]; then
  log "no regocheck source at ${SOURCE} (expected the shared tools folder beside the repository)"
  exit 1
fi

# Everything the binary is built from, so a changed source rebuilds it.
checksum="$(cd "${SOURCE}" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [[ -x "${BIN}" && -f "${STAMP}" && "$(cat "${STAMP}")" == "${checksum}" ]]; then
  log "${BIN} is up to date"
  exit 0
fi

# rustup's cargo lives in ~/.cargo/bin, which a non-login shell may not have on PATH.
if ! command -v cargo >/dev/null && [[ -x "${HOME}/.cargo/bin/cargo" ]]; then
  PATH="${HOME}/.cargo/bin:${PATH}"
fi

WORK_DIR="$(mktemp -d -t install-regocheck.XXXXXX)"
trap 'rm -rf "${WORK_DIR}"' EXIT

start=${SECONDS}
# The build prints hundreds of rustc warnings about regorus' feature flags: shown only on failure.
if ! built="$(REGOCHECK_DIR="${WORK_DIR}" bash "${SOURCE}/build.sh" </dev/null 2>"${WORK_DIR}/build.log")"; then
  tail -n 60 "${WORK_DIR}/build.log" >&2
  log "build failed (the last lines of its output are above)"
  exit 1
fi
install -D -m 0755 "${built}" "${BIN}"
mkdir -p "$(dirname "${STAMP}")"
printf '%s\n' "${checksum}" >"${STAMP}"
log "built ${BIN} in $((SECONDS - start)) s"
