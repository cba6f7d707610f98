"""robots.txt read as RFC 9309 says: groups by agent, wildcards, the longest rule wins."""

from auditor.artifacts.robots import parse

SITE = """
# a site that keeps crawlers out of downloads but not out of pages
User-agent: *
Disallow: /*/download
Disallow: /private/
Allow: /private/public-weights/
Disallow: /*.ckpt$

User-agent: BadBot
Disallow: /
"""


def allowed(text: str, path: str, agent: str = "auditor") -> bool:
    return parse(text, agent).allows(f"https://example.org{path}")


def test_wildcards_and_end_anchors_match_as_the_rfc_says():
    assert not allowed(SITE, "/lab/tool/download")
    assert not allowed(SITE, "/weights/model.ckpt")
    assert allowed(SITE, "/weights/model.ckpt.md5")  # `$` anchors the end
    assert allowed(SITE, "/lab/tool")


def test_the_longest_rule_wins_and_allow_wins_a_tie():
    assert not allowed(SITE, "/private/notes")
    assert allowed(SITE, "/private/public-weights/model.pth")
    assert allowed("User-agent: *\nDisallow: /a\nAllow: /a\n", "/a")


def test_a_group_for_the_agent_replaces_the_star_group():
    assert not allowed(SITE, "/anything", agent="BadBot")
    mine = "User-agent: auditor\nDisallow: /slow/\n\nUser-agent: *\nDisallow: /\n"
    assert allowed(mine, "/fast/page") and not allowed(mine, "/slow/page")


def test_no_rules_allow_everything_and_robots_txt_itself():
    assert allowed("", "/anything")
    assert allowed("User-agent: *\nDisallow:\n", "/anything")  # an empty disallow is no rule
    assert allowed("User-agent: *\nDisallow: /\n", "/robots.txt")
