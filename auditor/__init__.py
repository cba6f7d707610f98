"""auditor: a reproducibility auditor for the code repositories that research papers link to."""

# pyproject.toml's version (a test keeps the two in step), written here rather than looked up in
# the installed package's metadata: importlib.metadata is two thirds of what `auditor --help` costs.
__version__ = "0.4.0"
