"""Make tests/redis_server.py importable however pytest was started."""

from __future__ import annotations

import os
import sys

# tests/redis_server.py is shared by every test package (import redis_server).
_TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
