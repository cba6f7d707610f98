"""Repositories fetched: the GitHub API client, git (hardened), local folders, and the result cache.

Each source turns a repository into a `Snapshot` (`snapshot`: what facts and checks read, and all
they read of this package); nothing here judges what the files say.
"""

# What the command line shows in its help stands here, in the package's face: parsing arguments
# (and `auditor --help`) loads none of the stage's modules.
DEFAULT_API = "https://api.github.com"
DEFAULT_CLONE_URL = "https://{host}/{owner}/{name}.git"
DEFAULT_GIT_TIMEOUT = 120.0  # seconds of wall clock per git command
# Workers mostly wait for answers; per-host limits, not this number, keep hosts from being pressed.
DEFAULT_JOBS = 8
