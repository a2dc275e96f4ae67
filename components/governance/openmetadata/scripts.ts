// The shell the OpenMetadata pods run besides the server itself, generated here and mounted from a
// ConfigMap: preparing files the server reads (JWT keys as DER, the search truststore, Keycloak's CA
// as the JVM's trust store, the migration version the image expects), waiting for the migration
// Job, and the bootstrap that copies the ingestion bot's token into a Secret. None holds a secret
// value: they read them from files and their environment, and never print them.
import { IDENTITY_CA_KEY, truststoreScript } from '../contract';

/** Where the image keeps its application, configuration and the native migrations (workingDir). */
export const OM_HOME = '/opt/openmetadata';
/** Shared between the prepare init container and the server (emptyDirs). */
export const JWT_DIR = `${OM_HOME}/jwt`;
export const TRUSTSTORE_DIR = `${OM_HOME}/truststore`;
export const TRUSTSTORE_FILE = `${TRUSTSTORE_DIR}/truststore.p12`;
export const MIGRATION_DIR = '/migration';
export const SCRIPTS_DIR = '/scripts';
export const KEYS_DIR = '/keys';
export const SEARCH_CA_DIR = '/search-ca';
/** Keycloak's CA (ca.crt) and the trust store made of it for the OIDC back channel (JVM default trust). */
export const IDENTITY_CA_DIR = '/identity-ca';
export const IDENTITY_TRUSTSTORE_FILE = `${TRUSTSTORE_DIR}/identity.p12`;

export const PREPARE_SCRIPT = 'prepare.sh';
export const WAIT_SCRIPT = 'wait-for-migrations.sh';
export const BOT_SCRIPT = 'ingestion-bot.sh';

/** Keycloak's CA as a PKCS12 store the JVM loads without a password (keycloak/tls.ts). */
const identityTruststore = (): string => truststoreScript(`${IDENTITY_CA_DIR}/${IDENTITY_CA_KEY}`, IDENTITY_TRUSTSTORE_FILE);

/**
 * Runs in the server image before the server: the JWT keys the server signs bot tokens with, as DER
 * (jwtTokenConfiguration reads DER files; a PEM body is base64 of the DER, so busybox base64 decodes
 * it), the truststore with the search CA (keytool from the image's JRE), Keycloak's CA as the
 * trust store of the OIDC back channel (`identityTrust`, env.ts), and the newest native
 * migration the image ships (bootstrap/sql/migrations/native/<version>), which the wait compares
 * with server_change_log. The keys are not generated here: they come from a Secret, so bot tokens
 * survive restarts and are the same on every replica.
 */
export function renderPrepareScript(withTruststore: boolean, identityTrust = false): string {
  return `#!/bin/sh
set -eu
for key in private_key public_key; do
  sed '/-----/d' "${KEYS_DIR}/$key.pem" | base64 -d > "${JWT_DIR}/$key.der"
done
echo "prepare: JWT keys written as DER"
${
  withTruststore
    ? `KEYTOOL=$(command -v keytool || echo "$(dirname "$(readlink -f "$(command -v java)")")/keytool")
rm -f "${TRUSTSTORE_FILE}"
# -storepass:env keeps the password off the command line.
"$KEYTOOL" -importcert -noprompt -alias search-ca \\
  -file "${SEARCH_CA_DIR}/ca.crt" -keystore "${TRUSTSTORE_FILE}" -storetype PKCS12 -storepass:env TRUSTSTORE_PASSWORD >/dev/null
echo "prepare: search CA truststore written"
`
    : ''
}${identityTrust ? identityTruststore() : ''}ls "${OM_HOME}/bootstrap/sql/migrations/native" | awk -F. '
  /^[0-9]+(\\.[0-9]+)*$/ { key = sprintf("%06d%06d%06d%06d", $1, $2, $3, $4); if (key > best) { best = key; version = $0 } }
  END { if (version == "") exit 1; print version }' > "${MIGRATION_DIR}/expected-version"
echo "prepare: this image expects migration $(cat "${MIGRATION_DIR}/expected-version")"
`;
}

/**
 * Runs in the PostgreSQL image (psql, libpq PG* variables) until the migration Job has recorded the
 * image's newest native migration in server_change_log. The server checks the same at start-up and
 * exits when migrations are pending (OpenMetadataApplication.validateMigrations); waiting here keeps
 * it from crash-looping while the Job runs.
 */
export function renderWaitScript(): string {
  return `#!/bin/sh
set -eu
expected=$(cat "${MIGRATION_DIR}/expected-version")
query="SELECT count(*) FROM server_change_log WHERE version = '$expected'"
until [ "$(psql -X -w -q -t -A -c "$query" 2>/dev/null || true)" = 1 ]; do
  echo "waiting for migration $expected in database $PGDATABASE on $PGHOST (the openmetadata-migrate Job applies it)"
  sleep "\${WAIT_SECONDS:-5}"
done
echo "migration $expected found"
`;
}

/**
 * The ingestion bot's token, copied into the Secret named by TARGET_NAME. OpenMetadata creates the bot
 * and its JWT at first start and keeps the token in its database (bot tokens are checked against
 * it, so none can be minted outside). The script signs in with the bootstrap principal's token,
 * reads the bot user's JWT (GET /api/v1/bots/name/ingestion-bot, then
 * /api/v1/users/auth-mechanism/{id}) and creates or merge-patches the Secret through the
 * Kubernetes API with the Job's own ServiceAccount token. Idempotent. Tokens travel to curl on
 * stdin (`-K -`), never on its command line, and are never printed.
 */
export function renderBotSecretScript(): string {
  return `#!/bin/sh
set -eu
: "\${OM_URL:?}" "\${BOT_NAME:?}" "\${TARGET_NAME:?}"
SA=/var/run/secrets/kubernetes.io/serviceaccount
API=https://kubernetes.default.svc
NAMESPACE=$(cat "$SA/namespace")
WAIT_ATTEMPTS=\${WAIT_ATTEMPTS:-120}
RESPONSE=$(mktemp)
BODY=$(mktemp)
trap 'rm -f "$RESPONSE" "$BODY"' EXIT

log() { echo "openmetadata-bootstrap: $*"; }
fail() {
  echo "openmetadata-bootstrap: $1" >&2
  exit 1
}

# om PATH: GET on OpenMetadata with the bootstrap token; prints the HTTP status, body in $RESPONSE.
om() {
  : >"$RESPONSE"
  printf 'header = "Authorization: Bearer %s"\\n' "$(cat /bootstrap/token)" |
    curl -sS --max-time 30 -K - -o "$RESPONSE" -w '%{http_code}' "$OM_URL$1" || true
}

# kube METHOD PATH CONTENT_TYPE: the Kubernetes API with the ServiceAccount token, body from $BODY.
kube() {
  printf 'header = "Authorization: Bearer %s"\\n' "$(cat "$SA/token")" |
    curl -sS --max-time 30 -K - --cacert "$SA/ca.crt" -o /dev/null -w '%{http_code}' -X "$1" \\
      -H "Content-Type: $3" --data-binary "@$BODY" "$API$2" || true
}

attempt=1
until [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$OM_URL/api/v1/system/version" || true)" = 200 ]; do
  [ "$attempt" -lt "$WAIT_ATTEMPTS" ] || fail "OpenMetadata is not answering at $OM_URL after $attempt attempts"
  log "waiting for OpenMetadata ($attempt/$WAIT_ATTEMPTS)"
  attempt=$((attempt + 1))
  sleep 5
done

attempt=1
until [ "$(om "/api/v1/bots/name/$BOT_NAME?fields=botUser")" = 200 ]; do
  [ "$attempt" -lt "$WAIT_ATTEMPTS" ] || fail "bot $BOT_NAME not readable (is the bootstrap principal an admin?)"
  log "waiting for bot $BOT_NAME ($attempt/$WAIT_ATTEMPTS)"
  attempt=$((attempt + 1))
  sleep 5
done
user_id=$(tr -d '\\n' <"$RESPONSE" | sed -n 's/.*"botUser"[^}]*"id"[[:space:]]*:[[:space:]]*"\\([0-9a-f-]*\\)".*/\\1/p')
[ -n "$user_id" ] || fail "bot $BOT_NAME has no bot user"

status=$(om "/api/v1/users/auth-mechanism/$user_id")
[ "$status" = 200 ] || fail "reading the token of bot $BOT_NAME: HTTP $status"
token=$(tr -d '\\n' <"$RESPONSE" | sed -n 's/.*"JWTToken"[[:space:]]*:[[:space:]]*"\\([^"]*\\)".*/\\1/p')
: >"$RESPONSE"
[ -n "$token" ] || fail "bot $BOT_NAME has no JWT token"
encoded=$(printf '%s' "$token" | base64 | tr -d '\\n')

printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","labels":{"app.kubernetes.io/part-of":"analytics-platform","app.kubernetes.io/managed-by":"openmetadata-bootstrap"}},"type":"Opaque","data":{"token":"%s"}}' \\
  "$TARGET_NAME" "$encoded" >"$BODY"
status=$(kube POST "/api/v1/namespaces/$NAMESPACE/secrets" application/json)
case $status in
  201) log "secret $TARGET_NAME created" ;;
  409)
    status=$(kube PATCH "/api/v1/namespaces/$NAMESPACE/secrets/$TARGET_NAME" application/merge-patch+json)
    [ "$status" = 200 ] || fail "updating secret $TARGET_NAME: HTTP $status"
    log "secret $TARGET_NAME updated"
    ;;
  *) fail "creating secret $TARGET_NAME: HTTP $status" ;;
esac
`;
}
