"""Say "Valkey" where a message about a Valkey server says "Redis".

Rules are written once for both servers and say "Redis" ("Redis refuses to start"). For a Valkey
target that is wrong, and a reader of a Valkey chart's findings should not wonder whether the rule
knew what it checked. Only the word `Redis` in the rule's own prose changes: text quoted from the
user's files (`'…'`, `"…"`, `` `…` ``) is kept as written, and names that contain the word
(`redis.conf`, `bitnami/redis`, `RedisVersion`) are not whole words and stay.
"""

from __future__ import annotations

import re

# A quotation opens after a non-word character and closes before one, so the apostrophe of
# "Redis's" is no quote; the word is matched only outside quotations.
_QUOTED_OR_WORD = re.compile(r"""(?<!\w)(['"`]).*?\1(?!\w)|\bRedis\b(?![./\-]\w)""")


def for_flavor(text: str, flavor: str) -> str:
    """`text` with the server named as `flavor` ("valkey": Valkey) outside quotations."""
    if flavor != "valkey" or "Redis" not in text:
        return text
    return _QUOTED_OR_WORD.sub(lambda m: m.group() if m.group(1) else "Valkey", text)
