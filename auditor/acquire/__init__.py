"""Repositories fetched: the GitHub API client, git (hardened), local folders, and the result cache.

Each source turns a repository into a `Snapshot`; nothing here judges what the files say.
"""
