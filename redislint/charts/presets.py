"""Bitnami `resourcesPreset` table and which preset a chart version applies by default."""

from __future__ import annotations

from redislint.charts.versions import Version

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
