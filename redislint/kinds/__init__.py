"""Deployment kinds: one module per chart publisher or operator, the interface (`base`) and the registry (`registry`).

The registry is a module of its own, not this package's `__init__`, so that a kind module importing
`redislint.kinds.base` never runs the registry (which imports every kind module) first.
"""
