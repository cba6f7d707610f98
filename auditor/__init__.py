"""auditor: a reproducibility auditor for the code repositories that research papers link to."""

# The one place the version is written (pyproject.toml reads it from here): looking it up in the
# installed package's metadata imports importlib.metadata, two thirds of `auditor --help`'s time.
__version__ = "0.4.0"
