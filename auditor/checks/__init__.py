"""Verdicts: one module per checklist item family, each a pure function of a repository's `Facts`.

A check returns a `Finding`; it never does I/O and never prints. Check modules draw on `facts`,
never on each other. `base.registry()` imports every module of this package but the machinery
(`base`, `evaluate`, `applicable`, and `checklist`, which loads the checklists from
`checklists/*.yaml`), so a new checklist item is one new module here (and its entry in the
checklist YAML).
"""

# What the command line shows in its help stands here, in the package's face: parsing arguments
# (and `auditor --help`) loads none of the stage's modules.
DEFAULT_CHECKLIST = "midl"
