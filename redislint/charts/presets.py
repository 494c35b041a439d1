"""Bitnami `resourcesPreset` table and which preset a chart version applies by default."""

from __future__ import annotations

from redislint.assumptions import MEMORY_DEFAULTS
from redislint.charts.versions import Version, describe_releases, format_semver
from redislint.target import CHART_VERSION, Assumption

MI = 1024 * 1024

# bitnami/common templates/_resources.tpl (common 2.31.10). The memory columns never changed
# since presets were added (common 2.15.0); only CPU and ephemeral storage did.
PRESET_MEMORY: dict[str, tuple[int, int]] = {  # name -> (request bytes, limit bytes)
    "nano": (128 * MI, 192 * MI),
    "micro": (256 * MI, 384 * MI),
    "small": (512 * MI, 768 * MI),
    "medium": (1024 * MI, 1536 * MI),
    "large": (2048 * MI, 3072 * MI),
    "xlarge": (3072 * MI, 6144 * MI),
    "2xlarge": (3072 * MI, 12288 * MI),
}


def default_preset(chart: str, version: Version | None) -> str | None:
    """The chart's default `resourcesPreset`: None before 18.14 (no presets), "none" in 18.14–18.x, "nano" from 19."""
    if chart == "bitnami/valkey":
        return "nano"
    if chart != "bitnami/redis":
        return None
    if version is None:
        return "nano"
    if version < (18, 14, 0):
        return None
    if version < (19, 0, 0):
        return "none"
    return "nano"


def _limit_text(preset: str | None) -> str:
    """"a 192Mi limit (preset nano)", "no limit"."""
    if preset in PRESET_MEMORY:
        return f"a {PRESET_MEMORY[preset][1] // MI}Mi limit (preset {preset})"
    return "no limit"


def preset_assumptions(chart: str, possible: frozenset[Version], likely: Version | None) -> tuple[Assumption, ...]:
    """When the default `resourcesPreset` differs between the releases still possible (none before
    18.14.0, "none" in 18.14–18.x, "nano" from 19.0.0), an uncertain assumption: the findings that use
    the default memory limit of a role are then warnings at most, and say it (only roles without
    resources of their own rest on it: `assumptions.uses_default_preset`)."""
    if len(possible) < 2 or likely is None:
        return ()
    by_limit: dict[str, set[Version]] = {}
    for v in possible:
        name = default_preset(chart, v)
        by_limit.setdefault(_limit_text(name if name in PRESET_MEMORY else None), set()).add(v)
    if len(by_limit) < 2:
        return ()
    assumed = _limit_text(p if (p := default_preset(chart, likely)) in PRESET_MEMORY else None)
    alternatives = "; ".join(f"{text} in {describe_releases(chart, versions)}"
                             for text, versions in sorted(by_limit.items(), key=lambda kv: min(kv[1])))
    message = (f"without resources in the values, the memory limit depends on that unknown version: "
               f"{alternatives}; {assumed} assumed, as in {format_semver(likely)}")
    return (Assumption(CHART_VERSION, message, subject="resourcesPreset",
                       affects=frozenset({MEMORY_DEFAULTS}), uncertain=True),)
