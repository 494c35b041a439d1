"""redislint: lint Redis persistence configuration on Kubernetes before it merges."""

__version__ = "0.1.0"
