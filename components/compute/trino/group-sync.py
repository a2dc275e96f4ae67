#!/usr/bin/env python3
"""Keycloak -> Trino group file (Python 3 standard library only).

Trino 480+ takes a user's groups only from its group provider, and the access policy (OPA)
decides from them. This reads the realm through Keycloak's admin REST API, with the client
credentials of Trino's own client, and writes Trino's file group provider format, one
`group:user1,user2` line per group (https://trino.io/docs/current/security/group-file.html),
atomically (temporary file + rename), so Trino never reads half a file.

Groups written, under the names the `groups` claim of a token would carry:
  - the default role group (DEFAULT_ROLE_GROUP): every enabled user, because the realm gives the
    default role through the default-roles composite, which role member lists do not expand;
  - each platform role (ROLE_GROUPS): the users holding that realm role, service accounts included
    (GET /roles/{name}/users), and the members of the groups holding it and of their subgroups,
    which inherit it (GET /roles/{name}/groups), as a token's realm roles would list them;
  - every group of the realm (teams, projects, directory groups) with its members, subgroups
    included (GET /groups, /groups/{id}/children, /groups/{id}/members).

Keycloak is reached over HTTPS; with KEYCLOAK_CA_FILE set its certificate is checked against that
CA (a PEM file) alone, else against the system's trust.

On any error the last good file stays and one line is logged, never a secret or a token.

Modes: no flag syncs every SYNC_INTERVAL_SECONDS; --once syncs once and exits 1 on failure;
--until-synced retries every RETRY_SECONDS until one sync succeeds (the init container, so the
file exists before Trino starts); --alive exits 0 while the loop's heartbeat is fresh (liveness).
"""
import json
import os
import re
import signal
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SETTINGS = (
    "KEYCLOAK_SIGNIN_URL",  # the token endpoint (client credentials grant), on the back channel
    "KEYCLOAK_ADMIN_URL",
    "CLIENT_ID_FILE",
    "CLIENT_SECRET_FILE",
    "ROLE_GROUPS",
    "DEFAULT_ROLE_GROUP",
    "GROUP_FILE",
)
HEADER = "# Written by the platform's Keycloak group sync: every change here is overwritten.\n"
# Trino reads a line as `group:users`, split at the first ':', the users at ',', each trimmed, and
# skips lines starting with '#' (FileGroupProvider): names that would read differently are left out.
BAD_GROUP = re.compile(r"[:\r\n]|^\s|\s$|^#")
BAD_USER = re.compile(r"[,\r\n]|^\s|\s$")


class SyncError(Exception):
    """A sync that failed; the message is safe to log."""


def log(message, secrets=()):
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"{stamp} group-sync: {message}", file=sys.stderr, flush=True)


def load_settings():
    env = {name: os.environ.get(name, "") for name in SETTINGS}
    missing = [name for name, value in env.items() if not value]
    if missing:
        raise SyncError(f"not configured: {', '.join(missing)}")
    number = lambda name, default: int(os.environ.get(name) or default)  # noqa: E731
    env["ROLE_GROUPS"] = [r for r in env["ROLE_GROUPS"].split(",") if r]
    env["INTERVAL"] = number("SYNC_INTERVAL_SECONDS", 60)
    env["RETRY"] = number("RETRY_SECONDS", 5)
    env["PAGE_SIZE"] = number("PAGE_SIZE", 100)
    env["TIMEOUT"] = number("REQUEST_TIMEOUT_SECONDS", 10)
    env["ALIVE"] = number("ALIVE_SECONDS", 5 * env["INTERVAL"])
    env["HEARTBEAT"] = os.path.join(os.path.dirname(env["GROUP_FILE"]), ".group-sync-heartbeat")
    env["CA_FILE"] = os.environ.get("KEYCLOAK_CA_FILE", "")
    return env


def tls_context(env):
    """Certificate and host name checked; against KEYCLOAK_CA_FILE alone when set, read at every sync (a rotated CA is picked up)."""
    if not env["CA_FILE"]:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=env["CA_FILE"])
    except (OSError, ssl.SSLError) as e:
        raise SyncError(f"cannot read KEYCLOAK_CA_FILE: {type(e).__name__}") from None


def read_credential(env, name):
    """The client id or secret, read from its Secret file at every sync, so a rotated value is picked up."""
    try:
        with open(env[name], encoding="utf-8") as f:
            return f.read().strip()
    except OSError as e:
        raise SyncError(f"cannot read {name}: {type(e).__name__}") from None


class Keycloak:
    def __init__(self, env, client_id, credential):
        self.env = env
        self.tls = tls_context(env)
        self.admin = env["KEYCLOAK_ADMIN_URL"].rstrip("/")
        self.client_id = client_id
        self.credential = credential
        self.bearer = ""
        self.expires = 0.0

    def _open(self, request, what):
        try:
            with urllib.request.urlopen(request, timeout=self.env["TIMEOUT"], context=self.tls) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            raise SyncError(f"{what}: HTTP {e.code}{oauth_error(e)}") from None
        except urllib.error.URLError as e:
            raise SyncError(f"{what}: {e.reason}") from None
        except (OSError, ValueError) as e:
            raise SyncError(f"{what}: {type(e).__name__}") from None

    def _bearer(self):
        # A fresh token per sync, and again before the old one expires during a long sync.
        if self.bearer and time.monotonic() < self.expires:
            return self.bearer
        form = [("grant_type", "client_credentials"), ("client_id", self.client_id), ("client_secret", self.credential)]
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(
            self.env["KEYCLOAK_SIGNIN_URL"],
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        payload = self._open(request, "token request")
        issued = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(issued, str) or not issued:
            raise SyncError("token request: no access_token in the answer")
        self.bearer = issued
        self.expires = time.monotonic() + max(int(payload.get("expires_in") or 60) - 30, 5)
        return issued

    def pages(self, path, **params):
        """
        Every item of a paginated admin list (`first`/`max`; 100 when `max` is absent). A page shorter
        than asked for is the last; PAGE_SIZE stays at most 100, because some Keycloak versions read
        no `max` on /roles/{name}/groups (its @QueryParam names the default instead) and answer 100.
        """
        first = 0
        size = self.env["PAGE_SIZE"]
        while True:
            query = urllib.parse.urlencode({**params, "first": first, "max": size})
            request = urllib.request.Request(
                f"{self.admin}{path}?{query}",
                headers={"Authorization": f"Bearer {self._bearer()}", "Accept": "application/json"},
            )
            page = self._open(request, f"GET {path}")
            if not isinstance(page, list):
                raise SyncError(f"GET {path}: expected a JSON list")
            yield from page
            if len(page) < size:
                return
            first += len(page)


def oauth_error(e):
    """The OAuth `error` code of a refused token request (`invalid_client`, ...), nothing else of the body."""
    try:
        code = json.loads(e.read().decode("utf-8", "replace")).get("error", "")
    except Exception:
        return ""
    return f" ({code})" if isinstance(code, str) and re.fullmatch(r"[a-z_]{1,64}", code) else ""


def usernames(users):
    return {u["username"] for u in users if isinstance(u, dict) and u.get("username") and u.get("enabled") is not False}


def walk_groups(keycloak, path, parent=None):
    """Every group with the id of its parent, top-level groups first, subgroups through /children."""
    for group in keycloak.pages(path, briefRepresentation="true"):
        yield group, parent
        if group.get("subGroupCount", 0) > 0:
            yield from walk_groups(keycloak, f"/groups/{quote(group['id'])}/children", group["id"])


def quote(segment):
    return urllib.parse.quote(str(segment), safe="")


def collect(keycloak, env):
    """The group file's groups and members, read from Keycloak."""
    members = {}
    add = lambda group, users: members.setdefault(group, set()).update(users)  # noqa: E731
    add(env["DEFAULT_ROLE_GROUP"], usernames(keycloak.pages("/users", briefRepresentation="true")))
    in_group, children = {}, {}
    for group, parent in walk_groups(keycloak, "/groups"):
        in_group[group["id"]] = usernames(keycloak.pages(f"/groups/{quote(group['id'])}/members", briefRepresentation="true"))
        children.setdefault(parent, []).append(group["id"])
        add(group["name"], in_group[group["id"]])

    def inheriting(group_id):
        """A group's members and those of its subgroups, who inherit its role mappings."""
        return in_group.get(group_id, set()).union(*(inheriting(c) for c in children.get(group_id, [])))

    for role in env["ROLE_GROUPS"]:
        add(role, usernames(keycloak.pages(f"/roles/{quote(role)}/users", briefRepresentation="true")))
        for group in keycloak.pages(f"/roles/{quote(role)}/groups", briefRepresentation="true"):
            add(role, inheriting(group["id"]))
    return members


def render(members):
    """The file's text, the groups and users it names, and the names it had to leave out."""
    lines, written, skipped = [], set(), set()
    for group in sorted(members):
        users = sorted(u for u in members[group] if not BAD_USER.search(u))
        skipped.update(u for u in members[group] if BAD_USER.search(u))
        if BAD_GROUP.search(group):
            skipped.add(group)
        elif users:
            lines.append(f"{group}:{','.join(users)}\n")
            written.update(users)
    return HEADER + "".join(lines), len(lines), len(written), skipped


def write_atomically(path, text):
    """Replaces the file in one rename, in its own directory (same file system), only when it changed."""
    try:
        with open(path, encoding="utf-8") as current:
            if current.read() == text:
                return False
    except FileNotFoundError:
        pass
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return True


def sync(env):
    """One sync; True when the file is current. Errors are logged, the last good file stays."""
    keycloak = None
    try:
        keycloak = Keycloak(env, read_credential(env, "CLIENT_ID_FILE"), read_credential(env, "CLIENT_SECRET_FILE"))
        text, groups, users, skipped = render(collect(keycloak, env))
        changed = write_atomically(env["GROUP_FILE"], text)
    except SyncError as e:
        log(f"sync failed, keeping the last good group file: {e}", hidden(keycloak))
        return False
    except Exception as e:  # anything unforeseen: same rule, never the message of a library that may echo input
        log(f"sync failed, keeping the last good group file: {type(e).__name__}", hidden(keycloak))
        return False
    if skipped:
        log(f"left out {len(skipped)} names the group file cannot hold (a separator, a line break or surrounding spaces)")
    if changed:
        log(f"group file updated: {groups} groups, {users} users")
    return True


def hidden(keycloak):
    """Values no log line may show, whatever a message echoes."""
    return (keycloak.credential, keycloak.bearer) if keycloak else ()


def heartbeat(env):
    try:
        with open(env["HEARTBEAT"], "w", encoding="utf-8") as out:
            out.write(f"{int(time.time())}\n")
    except OSError as e:
        log(f"cannot write the heartbeat: {type(e).__name__}")


def alive(env):
    try:
        return time.time() - os.path.getmtime(env["HEARTBEAT"]) < env["ALIVE"]
    except OSError:
        return False


def main(argv):
    # As PID 1 of its container, SIGTERM would be ignored without a handler.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        env = load_settings()
    except (SyncError, ValueError) as e:
        log(f"cannot start: {e}")
        return 2
    if "--alive" in argv:
        return 0 if alive(env) else 1
    if "--once" in argv:
        return 0 if sync(env) else 1
    if "--until-synced" in argv:
        while not sync(env):
            time.sleep(env["RETRY"])
        return 0
    while True:
        heartbeat(env)
        sync(env)
        heartbeat(env)
        time.sleep(env["INTERVAL"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
