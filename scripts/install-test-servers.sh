#!/usr/bin/env bash
# Installs the real servers and tools the test suite runs: PostgreSQL 15 with PostGIS 3.3
# (Debian bookworm packages) and pgvector, built from Debian trixie's source
# package because bookworm does not package it. Runs as root, non-interactively,
# and is idempotent: a machine that already has everything returns at once.
# No system PostgreSQL service is started; the tests run throwaway clusters.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

PG_MAJOR=15
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
VECTOR_CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
PACKAGES=(
  "postgresql-${PG_MAJOR}"
  "postgresql-${PG_MAJOR}-postgis-3"
  "postgresql-server-dev-${PG_MAJOR}"
  build-essential
  dpkg-dev
  # The shells and client the generated bootstrap scripts run with in their images.
  busybox-static
  curl
  # Spark's jar fetch (wget, sha1sum), the Python sidecars and dbt sign-in, script linting.
  wget
  python3
  shellcheck
  # keytool and a JVM: the trust stores the Java clients of Keycloak's back channel load.
  openjdk-17-jre-headless
)
TRIXIE_MIRROR="http://deb.debian.org/debian"
TRIXIE_KEYRING="/usr/share/keyrings/debian-archive-keyring.gpg"

log() { printf '[install-test-servers] %s\n' "$*" >&2; }

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}

postgis_installed() { is_installed "postgresql-${PG_MAJOR}-postgis-3"; }

all_installed() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do is_installed "$pkg" || return 1; done
}

if [[ -f "${VECTOR_CONTROL}" ]] && postgis_installed && all_installed; then
  log "PostgreSQL ${PG_MAJOR}, PostGIS, pgvector and the script tools already installed"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  log "must run as root (installs apt packages)"
  exit 1
fi

WORK_DIR="$(mktemp -d -t install-test-servers.XXXXXX)"
ADDED_POLICY_RC=0

cleanup() {
  if [[ "${ADDED_POLICY_RC}" -eq 1 ]]; then
    rm -f /usr/sbin/policy-rc.d
  fi
  rm -rf "${WORK_DIR}"
}
trap cleanup EXIT

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "${pkg}" || missing+=("${pkg}")
done

if [[ "${#missing[@]}" -gt 0 ]]; then
  # Keep maintainer scripts from starting the packaged cluster while installing.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    ADDED_POLICY_RC=1
  fi
  log "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

if [[ ! -f "${VECTOR_CONTROL}" ]]; then
  # A private apt configuration with only a trixie deb-src entry and its own
  # state and cache directories: the system sources and package lists stay as they are.
  mkdir -p "${WORK_DIR}/lists/partial" "${WORK_DIR}/cache/archives/partial" \
    "${WORK_DIR}/sources.list.d" "${WORK_DIR}/src"
  printf 'deb-src [signed-by=%s] %s trixie main\n' "${TRIXIE_KEYRING}" "${TRIXIE_MIRROR}" \
    >"${WORK_DIR}/sources.list"
  cat >"${WORK_DIR}/apt.conf" <<EOF
Dir::Etc::SourceList "${WORK_DIR}/sources.list";
Dir::Etc::SourceParts "${WORK_DIR}/sources.list.d";
Dir::State::Lists "${WORK_DIR}/lists";
Dir::Cache "${WORK_DIR}/cache";
APT::Sandbox::User "root";
EOF
  export APT_CONFIG="${WORK_DIR}/apt.conf"

  log "fetching the trixie pgvector source package"
  apt-get update -qq
  (cd "${WORK_DIR}/src" && apt-get source -qq pgvector </dev/null)
  unset APT_CONFIG

  src_dir=""
  for dir in "${WORK_DIR}"/src/pgvector-*/; do
    [[ -d "${dir}" ]] && src_dir="${dir}"
  done
  if [[ -z "${src_dir}" ]]; then
    log "apt-get source pgvector did not unpack a source tree"
    exit 1
  fi

  log "building pgvector in ${src_dir}"
  # OPTFLAGS= keeps upstream's -march=native out (Debian's no-native patch does too).
  make -C "${src_dir}" -j "$(nproc)" PG_CONFIG="${PG_CONFIG}" OPTFLAGS=
  make -C "${src_dir}" install PG_CONFIG="${PG_CONFIG}" OPTFLAGS=
fi

if [[ ! -f "${VECTOR_CONTROL}" ]] || ! postgis_installed; then
  log "installation incomplete: ${VECTOR_CONTROL} or PostGIS missing"
  exit 1
fi
log "done"
