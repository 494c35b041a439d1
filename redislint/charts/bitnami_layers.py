"""The redis-server command line each Bitnami start script builds, as layers in Redis's reading order."""

from __future__ import annotations

from typing import NamedTuple

from redislint.charts.config_text import argv_items as _argv_items
from redislint.charts.config_text import synthetic as _synthetic
from redislint.charts.config_text import text_lines as _text_lines
from redislint.charts.synthetic import NOWHERE
from redislint.charts.templating import relabel_problems
from redislint.charts.values_view import Found, ValuesView
from redislint.redisconf import (
    ConfigSource,
    Include,
    RedisVersion,
    lines_from_argv,
)
from redislint.sources import ScalarNode

# values.yaml default of `commonConfiguration` (`configmap` before 14.0.0); unchanged since 2020.
DEFAULT_COMMON_CONFIGURATION = (
    "# Enable AOF https://redis.io/topics/persistence#append-only-file\n"
    "appendonly yes\n"
    "# Disable RDB persistence, AOF persistence already enabled.\n"
    'save ""'
)


class ChartNames(NamedTuple):
    """Names that differ between bitnami/redis majors and bitnami/valkey."""

    common_key: str  # commonConfiguration, or configmap before 14.0.0
    role_config_key: str  # configuration, or configmap before 14.0.0
    base_file: str  # redis.conf / valkey.conf
    master_prefix: str  # master / primary
    replica_prefix: str  # replica / slave
    auth_arg: str  # masterauth / primaryauth


def common_layer(view: ValuesView, names: ChartNames, version: RedisVersion) -> ConfigSource:
    """redis.conf: commonConfiguration (the user's, or the chart default), then aclfile."""
    found = view.get(names.common_key)
    lines = _text_lines(found, names.common_key, version, DEFAULT_COMMON_CONFIGURATION,
                        f"chart default {names.common_key}")
    acl = view.get("auth.acl.enabled")
    if acl is not None and acl.value is True:
        lines += _synthetic("aclfile /opt/bitnami/redis/etc/users.acl", "auth.acl.enabled", version, acl.span)
    return ConfigSource(names.base_file, tuple(lines))


def role_layer(view: ValuesView, prefix: str, names: ChartNames, version: RedisVersion,
               file_name: str, announce: bool, legacy: bool = False) -> ConfigSource:
    """master.conf / replica.conf: `dir`, the role's configuration, rename-command lines.

    Before 14.0.0 (templates/configmap.yaml) replica.conf also held `slave-read-only yes` right
    after `dir`, and the start scripts appended no announce lines.
    """
    path_found = view.get(f"{prefix}.persistence.path")
    data_path = str(path_found.value) if path_found is not None else "/data"
    lines = _synthetic(f"dir {data_path}", f"{prefix}.persistence.path" if path_found else "chart default dir",
                       version, path_found.span if path_found else NOWHERE)
    if legacy and file_name == "replica.conf":
        lines += _synthetic("slave-read-only yes", "chart template replica.conf", version)
    lines += _text_lines(view.get(f"{prefix}.{names.role_config_key}"), f"{prefix}.{names.role_config_key}", version)
    disable = view.get(f"{prefix}.disableCommands")
    if disable is None and view.is_null(f"{prefix}.disableCommands") is None:
        commands = ["FLUSHDB", "FLUSHALL"]
        where, layer = NOWHERE, "chart default disableCommands"
    else:
        commands = [str(c) for c in (disable.value or [])] if disable is not None else []
        where = disable.span if disable is not None else NOWHERE
        layer = f"{prefix}.disableCommands"
    for command in commands:
        lines += _synthetic(f'rename-command {command} ""', layer, version, where)
    if announce and not legacy:
        # start-replica.sh / start-node.sh append these before starting Redis.
        lines += _synthetic("replica-announce-port 6379\nreplica-announce-ip 10.0.0.1", "start script", version)
    return ConfigSource(file_name, tuple(lines))


def start_script(view: ValuesView, role: str, names: ChartNames, version: RedisVersion,
                 legacy: bool) -> ConfigSource:
    """The whole argv of redis-server for a role, in the order the start script writes it."""
    return role_script(view, role, names, version, legacy, common_layer(view, names, version))


def role_script(view: ValuesView, role: str, names: ChartNames, version: RedisVersion, legacy: bool,
                common: ConfigSource) -> ConfigSource:
    """`start_script` with the release's `common_layer` already built (every role of a release reads
    the same redis.conf, so it is parsed once and shared: ConfigSources are immutable)."""
    pre: list = _synthetic("port 6379", "start script", version)
    if role == "replica":
        pre += _synthetic("replicaof redis-master 6379", "start script", version)
    auth = view.value("auth.enabled", True) if not legacy else view.value("usePassword", True)
    if auth is False:
        pre += _synthetic("protected-mode no", "auth.enabled", version, view.anchor("auth.enabled") or NOWHERE)
    master_prefix, replica_prefix = names.master_prefix, names.replica_prefix
    if role == "node":
        # start-node.sh (sentinel mode): replica.conf first, then redis.conf (bitnami/charts#8781).
        role_conf = role_layer(view, replica_prefix, names, version, "replica.conf", announce=True, legacy=legacy)
        includes = [Include(role_conf, None), Include(common, None)]
        flags_prefix = replica_prefix
    else:
        prefix = master_prefix if role in ("master", "primary") else replica_prefix
        file_name = f"{'primary' if role == 'primary' else 'master'}.conf" if role != "replica" else "replica.conf"
        role_conf = role_layer(view, prefix, names, version, file_name, announce=role == "replica", legacy=legacy)
        includes = [Include(common, None), Include(role_conf, None)]
        flags_prefix = prefix
    flags = relabel_problems(lines_from_argv(_argv_items(view.get(f"{flags_prefix}.extraFlags")),
                                           f"{flags_prefix}.extraFlags", version))
    return ConfigSource("redis-server argv", tuple(pre) + tuple(includes) + tuple(flags))


def folded_blocks(view: ValuesView, paths: list[str]) -> list[tuple[str, Found]]:
    """Config strings written as `>` folded (or multi-line plain) scalars, whose lines YAML joins."""
    out = []
    for path in paths:
        found = view.get(path)
        if found is None or not isinstance(found.node, ScalarNode) or not isinstance(found.node.value, str):
            continue
        node = found.node
        multi_line = node.span.end_line > node.span.line + (1 if node.style == ">" else 0)
        if node.style == ">" or (node.style == "" and multi_line):
            out.append((path, found))
    return out
