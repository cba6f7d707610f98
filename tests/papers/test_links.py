"""Link extraction and normalization, specified by strings as real abstracts write them."""

import pytest

from auditor.models import LinkKind
from auditor.papers.links import classify, extract_links, find_urls

# (text as it appears in an abstract, normalized URL, kind, repo key or None, subpath or None)
CASES = [
    (
        "The code is made publicly available at https://github.com/Bekhouche/SegDT{GitHub}.",
        "https://github.com/Bekhouche/SegDT",
        LinkKind.GITHUB_REPO,
        "github.com/bekhouche/segdt",
        None,
    ),
    (
        "The code is available in this {https://github.com/ChengyinLee/MulModSeg_2024{link}}.",
        "https://github.com/ChengyinLee/MulModSeg_2024",
        LinkKind.GITHUB_REPO,
        "github.com/chengyinlee/mulmodseg_2024",
        None,
    ),
    (
        "available at https://github.com/vboussot/KonfAI{https://github.com/vboussot/KonfAI}.",
        "https://github.com/vboussot/KonfAI",
        LinkKind.GITHUB_REPO,
        "github.com/vboussot/konfai",
        None,
    ),
    (
        "Code is available at https://github.com/jhuldr/BrainFM.",
        "https://github.com/jhuldr/BrainFM",
        LinkKind.GITHUB_REPO,
        "github.com/jhuldr/brainfm",
        None,
    ),
    (
        "see https://github.com/Owner/Repo.git for details",
        "https://github.com/Owner/Repo",
        LinkKind.GITHUB_REPO,
        "github.com/owner/repo",
        None,
    ),
    (
        "see http://www.github.com/Owner/Repo/",
        "https://github.com/Owner/Repo",
        LinkKind.GITHUB_REPO,
        "github.com/owner/repo",
        None,
    ),
    (
        "see www.github.com/Owner/Repo, and more",
        "https://github.com/Owner/Repo",
        LinkKind.GITHUB_REPO,
        "github.com/owner/repo",
        None,
    ),
    (
        "at https://github.com/org/mono/tree/main/projects/seg.",
        "https://github.com/org/mono",
        LinkKind.GITHUB_REPO,
        "github.com/org/mono",
        "projects/seg",
    ),
    (
        "(code: https://github.com/org/repo)",
        "https://github.com/org/repo",
        LinkKind.GITHUB_REPO,
        "github.com/org/repo",
        None,
    ),
    (
        "The code for this work is made available at: https://anonymous.4open.science/r/DuPLUS-6C52",
        "https://anonymous.4open.science/r/DuPLUS-6C52",
        LinkKind.CODE_HOST,
        "anonymous.4open.science/duplus-6c52",
        None,
    ),
    (
        "at https://gitlab.com/group/sub/project/-/tree/dev/src",
        "https://gitlab.com/group/sub/project",
        LinkKind.CODE_HOST,
        "gitlab.com/group/sub/project",
        "src",
    ),
    (
        "The project page is: https://wtliu7.github.io/tis/.",
        "https://wtliu7.github.io/tis",
        LinkKind.PROJECT_PAGE,
        None,
        None,
    ),
    (
        "The benchmark, dataset, and model are available at https://huggingface.co/MedSG-Bench",
        "https://huggingface.co/MedSG-Bench",
        LinkKind.HUB,
        None,
        None,
    ),
    (
        "published as https://doi.org/10.3390/app11020672",
        "https://doi.org/10.3390/app11020672",
        LinkKind.DOI,
        None,
        None,
    ),
    ("a web service at: https://pocovidscreen.org.", "https://pocovidscreen.org", LinkKind.OTHER, None, None),
    (
        "our organisation https://github.com/Project-MONAI.",
        "https://github.com/Project-MONAI",
        LinkKind.OTHER,
        None,
        None,
    ),
    (
        "browse https://github.com/topics/medical-imaging",
        "https://github.com/topics/medical-imaging",
        LinkKind.OTHER,
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "url", "kind", "key", "subpath"), CASES)
def test_links_are_normalized_and_classified(text, url, kind, key, subpath):
    (link,) = extract_links(text)
    assert (link.url, link.kind) == (url, kind)
    assert (link.repo.key if link.repo else None) == key
    assert (link.repo.subpath if link.repo else None) == subpath


def test_one_repository_written_several_ways_is_one_link():
    text = (
        "https://github.com/Org/Tool and http://github.com/org/tool.git and "
        "https://www.github.com/ORG/Tool/tree/main/src"
    )
    links = extract_links(text)
    assert [link.repo.key for link in links if link.repo] == ["github.com/org/tool"]


def test_urls_keep_inner_dots_and_lose_sentence_punctuation():
    text = "Docs: https://flemme-docs.readthedocs.io/en/latest/medpoints.html. Next sentence."
    assert find_urls(text) == ["https://flemme-docs.readthedocs.io/en/latest/medpoints.html"]


def test_balanced_parentheses_stay_in_a_url():
    assert find_urls("see https://en.wikipedia.org/wiki/U-Net_(network).") == [
        "https://en.wikipedia.org/wiki/U-Net_(network)"
    ]


def test_text_without_links_has_none():
    assert extract_links("Our code is available at TBD.") == []


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("our lab: https://github.com/Project-MONAI.", "a github.com user or organisation, not a repository"),
        ("see https://github.com/topics/medical-imaging", "a github.com page, not a repository"),
        (
            "spoof https://g\u0456thub.com/a/b",
            "host has non-ASCII characters (look-alike of a known host?); not followed",
        ),
        ("dots https://github.com/../etc/passwd", "a github.com page, not a repository"),
    ],
)
def test_links_that_look_like_code_but_are_not_repositories_say_why(text, note):
    (link,) = extract_links(text)
    assert link.repo is None
    assert link.note == note


def test_file_links_audit_the_repository_and_keep_the_file_path():
    (link,) = extract_links("see https://github.com/org/repo/blob/main/scripts/train.py")
    assert link.repo.key == "github.com/org/repo"
    assert link.repo.subpath == "scripts/train.py"


def test_gists_are_repositories():
    (link,) = extract_links("https://gist.github.com/someone/0123456789abcdef0123")
    assert link.kind is LinkKind.CODE_HOST
    assert link.repo.key == "gist.github.com/someone/0123456789abcdef0123"


def test_invisible_characters_and_fullwidth_letters_are_normalized():
    (link,) = extract_links("code: https://github.com/org/re\u200bpo and more")
    assert link.repo.key == "github.com/org/repo"
    (wide,) = extract_links("code: https://\uff47\uff49\uff54\uff48\uff55\uff42.com/org/repo")
    assert wide.repo is not None and wide.repo.key == "github.com/org/repo"


def test_percent_encoding_is_decoded():
    (link,) = extract_links("https://github.com/org/my%2Drepo")
    assert link.repo.key == "github.com/org/my-repo"


def test_markdown_and_latex_wrappers():
    text = (
        r"[code](https://github.com/a/one) \url{https://github.com/a/two} "
        r"\href{https://github.com/a/three}{https://github.com/a/three} <https://github.com/a/four>"
    )
    assert [link.repo.name for link in extract_links(text)] == ["one", "two", "three", "four"]


def test_very_long_urls_are_ignored_with_a_note():
    (link,) = extract_links("https://github.com/a/" + "b" * 5000)
    assert link.repo is None and "longer than" in link.note


def test_a_port_other_than_the_default_is_kept():
    (page,) = extract_links("Project page: http://lab.example.edu:8080/segtool/.")
    assert page.url == "http://lab.example.edu:8080/segtool"
    assert classify("https://lab.example.edu:443/segtool").url == "https://lab.example.edu/segtool"
