"""Review a change, not only a state: `check --base REF` compares each target with itself at a git revision."""
