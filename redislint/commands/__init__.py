"""One module per CLI command: turns parsed options into engine calls and printed output."""
