"""Secret values never reach any output: `redislint.secrets` and every formatter."""

from __future__ import annotations

import pytest

from redislint.model import Finding, Notification, Related, Report, Severity, Span
from redislint.output import FORMATTERS
from redislint.secrets import is_secret_key, redact_text, secret_ranges, shift_column


@pytest.mark.parametrize(("line", "expected"), [
    ("requirepass hunter2", "requirepass ****"),
    ('requirepass "hunter 2"', 'requirepass "****"'),
    ("  masterauth s3cr3t", "  masterauth ****"),
    ("primaryauth x1", "primaryauth ****"),
    ("MASTERAUTH Upper", "MASTERAUTH ****"),
    ("masteruser alice", "masteruser alice"),  # a user name is not a secret
    ("CONFIG SET requirepass newpw", "CONFIG SET requirepass ****"),
    ("tls-key-file-pass kp", "tls-key-file-pass ****"),
    ("sentinel auth-pass mymaster sp", "sentinel auth-pass mymaster ****"),
    ('command: ["redis-server", "--requirepass", "argv", "--appendonly", "no"]',
     'command: ["redis-server", "--requirepass", "****", "--appendonly", "no"]'),
    ("redis-server --requirepass=eq --port 6379", "redis-server --requirepass=**** --port 6379"),
    ("redis-server --masterauth sp --port 1", "redis-server --masterauth **** --port 1"),
    ("redis-cli -a clipw ping", "redis-cli -a **** ping"),
    ("user alice on >alicepw ~* &* +@all", "user alice on >**** ~* &* +@all"),
    ("user bob on #0123abcd allkeys", "user bob on #**** allkeys"),
    ("ACL SETUSER carol on >new <old", "ACL SETUSER carol on >**** <****"),
    ("password: hunter2", "password: ****"),
    ('auth.password: "quoted pw" # note', 'auth.password: "****" # note'),
    ('"password": "json", "user": "x"', '"password": "****", "user": "x"'),
    ("auth: {enabled: true, password: flow, sentinel: false}",
     "auth: {enabled: true, password: ****, sentinel: false}"),
    ("REDIS_PASSWORD=envpw other", "REDIS_PASSWORD=**** other"),
    ("apiKey: abc123", "apiKey: ****"),
    ("client_secret: cs", "client_secret: ****"),
    ("token: tk", "token: ****"),
    ("passwd: pw", "passwd: ****"),
    ("url: redis://:urlpw@redis:6379/0", "url: redis://:****@redis:6379/0"),
    ("url: rediss://default:pw2@redis:6379", "url: rediss://default:****@redis:6379"),
    # not secrets
    ("usePassword: true", "usePassword: true"),
    ("existingSecret: redis-creds", "existingSecret: redis-creds"),
    ("existingSecretPasswordKey: redis-password", "existingSecretPasswordKey: redis-password"),
    ("secretName: redis", "secretName: redis"),
    ("passwordFile: /run/secrets/pw", "passwordFile: /run/secrets/pw"),
    ('token: "{{ .Values.token }}"', 'token: "{{ .Values.token }}"'),
    ("password: ${REDIS_PASSWORD}", "password: ${REDIS_PASSWORD}"),
    ("requirepass is empty in values.yaml", "requirepass is empty in values.yaml"),
    ("The `requirepass` directive is set.", "The `requirepass` directive is set."),
    ("appendonly yes", "appendonly yes"),
])
def test_redact_line(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ('"requirepass" pw', '"requirepass" ****'),
    ("'masterauth' pw", "'masterauth' ****"),
    ('"requir\\x65pass" pw', '"requir\\x65pass" ****'),  # Redis decodes \xHH in a quoted name
    ('user "jack" on >pw ~* +@all', 'user "jack" on >**** ~* +@all'),
    ('"user" jack on >pw', '"user" jack on >****'),
    ('user jill on ">pass word" >"pw2" <old #abc !def # c ~*', 'user jill on ">****" >"****" <**** #**** !**** # c ~*'),
    ("requirepass a b", "requirepass **** ****"),  # wrong arity: every argument may be the password
    ("requirepass is secret # c", "requirepass **** **** # c"),  # a file's line is never prose
    ('  requirepass "a b" c # old', '  requirepass "****" **** # old'),
    ("sentinel auth-pass mymaster pw extra", "sentinel auth-pass mymaster **** ****"),
    ('requirepass "unbalanced', "requirepass ****"),
    ("pasword: pw", "pasword: ****"),  # one letter from a secret word: RL101 shows this line
    ("  REDIS_PASSWROD=pw", "  REDIS_PASSWROD=****"),
    ("redisPasword: '*pw'", "redisPasword: '****'"),
    ("passed: true", "passed: true"),
    ("appendonly yes # trailing", "appendonly yes # trailing"),
    ("user default on nopass ~* +@all", "user default on nopass ~* +@all"),
])
def test_redact_source_line(line, expected):
    from redislint.secrets import redact_source

    assert redact_source(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ('password: "*pw"', 'password: "****"'),  # quoted: a string, not an alias
    ("password: '[pw'", "password: '****'"),
    ('password: "{pw"', 'password: "****"'),
    ('token: "$(pw"', 'token: "****"'),
    ("password: $(pw", "password: ****"),  # not a whole `$(VAR)` reference
    ("password: [pw1, pw2]", "password: ****"),  # a list of secrets
    ("password: *anchor", "password: *anchor"),  # a YAML alias names another node
    ("password: $(REDIS_PASSWORD)", "password: $(REDIS_PASSWORD)"),
    ('password: "${REDIS_PASSWORD:-x}"', 'password: "${REDIS_PASSWORD:-x}"'),
    ("password: '{{ .Values.pw }}'", "password: '{{ .Values.pw }}'"),
])
def test_quoted_values_are_strings(line, expected):
    assert redact_text(line) == expected


def test_secret_data_is_never_shown():
    from redislint.secrets import redact_text as r

    text = ("apiVersion: v1\ndata:\n  values.yaml: YXV0aDo=\n  'k:x': \"q\" # c\nkind: Secret\nmetadata:\n  name: s\n"
            "stringData:\n  conf: |\n    appendonly yes\n    auth:\n  multi: a\n    b\n---\n"
            "kind: ConfigMap\ndata:\n  a: visible\n")
    assert r(text) == ("apiVersion: v1\ndata:\n  values.yaml: ****\n  'k:x': \"****\" # c\nkind: Secret\nmetadata:\n"
                       "  name: s\nstringData:\n  conf: |\n    ****\n    ****\n  multi: ****\n    ****\n---\n"
                       "kind: ConfigMap\ndata:\n  a: visible\n")
    assert r("kind: Secret\ndata: {a: b}\n") == "kind: Secret\ndata: ****\n"


def test_redact_multiline_contexts():
    text = """\
env:
  - name: REDIS_PASSWORD
    value: envvaluepw
  - name: OTHER
    value: visible
args:
  - --requirepass
  - nextlinepw
  - --appendonly
  - "yes"
extraFlags: [
  "--masterauth",
  "flowpw",
]
password: |
  blockpw
  # blockpw2
auth:
  # comment stays
  enabled: true
  password:
    plainpw
  sentinel: true
"""
    out = redact_text(text)
    assert out.count("\n") == text.count("\n")
    for secret in ("envvaluepw", "nextlinepw", "flowpw", "blockpw", "plainpw"):
        assert secret not in out
    for kept in ("visible", '"yes"', "# comment stays", "enabled: true", "sentinel: true", "--appendonly"):
        assert kept in out


def test_shift_column():
    line = "cmd: --requirepass secret123 --appendonly no"
    ranges = secret_ranges(line)[0]
    masked = redact_text(line)
    col = line.index("--appendonly") + 1
    assert masked[shift_column(col, ranges) - 1:].startswith("--appendonly")
    inside = line.index("cret") + 1
    assert shift_column(inside, ranges) == line.index("secret") + 1


def test_is_secret_key():
    assert all(map(is_secret_key, ["password", "REDIS_PASSWORD", "auth.password", "apiKey", "REDISCLI_AUTH",
                                   "masterauth"]))
    assert not any(map(is_secret_key, ["existingSecret", "passwordFile", "secretKeyRef", "secretName",
                                       "appendonly", "author"]))
    # `auth` holding a scalar is a password; `auth:` opening a mapping (Bitnami) masks nothing.
    assert redact_text("auth: plainsecret") == "auth: ****"
    assert redact_text("auth:\n  enabled: true\n") == "auth:\n  enabled: true\n"


SECRETS = {
    "message": "Msg-Secret-1", "fix": "Fix-Secret-2", "related": "Rel-Secret-3", "notification": "Note-Secret-4",
    "conf": "Conf-Secret-5", "yaml": "Yaml-Secret-6", "env": "Env-Secret-7", "acl": "Acl-Secret-8",
    "argv": "Argv-Secret-9", "url": "Url-Secret-10", "suppressed": "Supp-Secret-11", "block": "Block-Secret-12",
}

CONF_TEXT = f"""\
requirepass {SECRETS['conf']}
user app on >{SECRETS['acl']} ~* +@all
appendonly no
"""
VALUES_TEXT = f"""\
auth:
  password: "{SECRETS['yaml']}"
master:
  extraEnvVars:
    - name: REDIS_PASSWORD
      value: {SECRETS['env']}
  extraFlags: ["--requirepass", "{SECRETS['argv']}"]
  sidecar: redis://:{SECRETS['url']}@localhost:6379
  configuration: |
    masterauth {SECRETS['block']}
    appendonly no
"""


def _secret_report() -> Report:
    def f(path, line, message="finding", **kw):
        return Finding("RL203", "aof-disabled", Severity.ERROR, message, Span(path, line, 1, line, 12),
                       target="prod/redis", role="master", subject=f"s{line}", **kw)

    findings = [f("redis.conf", n) for n in (1, 2, 3)] + [f("values.yaml", n) for n in range(1, 12)]
    findings[0] = findings[0]._replace(
        message=f"requirepass {SECRETS['message']} is shorter than 16 characters",
        fix=f"replace `masterauth {SECRETS['fix']}` with a Secret",
        related=(Related(Span("values.yaml", 2, 3, 2, 30), f"password: {SECRETS['related']}"),))
    return Report(
        findings=findings,
        suppressed=[f("values.yaml", 7, message=f"--requirepass {SECRETS['suppressed']}")],
        notifications=[Notification("broken.conf", f"cannot parse: --masterauth {SECRETS['notification']}", 1, 1)],
        files_read=3, targets_checked=1, profiles=("critical",),
        rules_run=("RL203",),
        texts={"redis.conf": CONF_TEXT, "values.yaml": VALUES_TEXT},
    )


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
@pytest.mark.parametrize("show_suppressed", [False, True])
@pytest.mark.parametrize("color", [False, True])
def test_no_format_leaks_a_planted_secret(fmt, show_suppressed, color, rules, options):
    opts = options._replace(show_suppressed=show_suppressed, color=color)
    out = FORMATTERS[fmt](_secret_report(), rules, opts)
    leaked = [name for name, secret in SECRETS.items() if secret in out]
    assert leaked == []
    # Markdown escapes the mask's asterisks (`\*`) so that they render as written, not as emphasis.
    assert "****" in (out.replace("\\*", "*") if fmt == "markdown" else out)


def test_text_shows_masked_source_lines(rules, options):
    out = FORMATTERS["text"](_secret_report(), rules, options)
    assert "    1 | requirepass ****\n" in out
    assert '    2 |   password: "****"\n' in out
    assert "    6 |       value: ****\n" in out
    assert "    1 | requirepass ****" in out


def test_redact_directive_value():
    from redislint.secrets import redact_directive_value as r

    assert r("requirepass", "hunter2") == "****"
    assert r("masterauth", "x") == "****" and r("PRIMARYAUTH", "y") == "****"
    assert r("requirepass", "") == ""  # no password set: that is what the user needs to see
    assert r("masteruser", "alice") == "alice"
    assert r("user", "alice on >pw1 #abcdef ~* +@all") == "alice on >**** #**** ~* +@all"
    assert r("save", "3600 1 300 100") == "3600 1 300 100"
    assert r("requirepass", ["a", ""]) == ["****", ""] and r("appendonly", None) is None
