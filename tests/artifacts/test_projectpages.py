"""Which repository a project page links as the paper's code: pages written like real ones."""

from auditor.artifacts.pages import code_repos

PAGE = "https://lab.github.io/segtool/"


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>SegTool</title></head><body>{body}</body></html>"


BUTTONS = """
<div class="publication-links">
  <span class="link-block"><a href="https://arxiv.org/pdf/2501.00001" class="button">
    <span class="icon"><i class="fas fa-file-pdf"></i></span><span>Paper</span></a></span>
  <span class="link-block"><a href="https://github.com/lab/SegTool" class="button">
    <span class="icon"><i class="fab fa-github"></i></span><span>Code</span></a></span>
  <span class="link-block"><a href="https://huggingface.co/datasets/lab/cohort" class="button">
    <span>Data</span></a></span>
</div>
"""
FOOTER = """
<footer class="footer"><p>This website is licensed under CC BY-SA 4.0. It borrows the
<a href="https://github.com/nerfies/nerfies.github.io">source code</a> of the Nerfies page, and the
<a href="https://github.com/eliahuhorwitz/Academic-project-page-template">Academic Project Page Template</a>.</p>
</footer>
"""


def test_the_code_button_is_the_code_and_the_template_credits_are_not():
    found = code_repos(page(BUTTONS + FOOTER), PAGE)
    assert found.repos == ["https://github.com/lab/SegTool"]
    assert found.note == "links its code: https://github.com/lab/SegTool"


def test_a_page_with_no_code_link_says_so():
    found = code_repos(page("<p>Code will be released upon acceptance.</p>" + FOOTER), PAGE)
    assert (found.repos, found.note) == ([], "links no code repository")


def test_text_before_a_bare_link_says_it_is_the_code():
    body = '<p>Related: <a href="https://github.com/other/baseline">a baseline</a>.</p>'
    body += '<p>Code: <a href="https://github.com/lab/segtool/tree/main/src">github.com/lab/segtool</a></p>'
    assert code_repos(page(body), PAGE).repos == ["https://github.com/lab/segtool/tree/main/src"]


def test_the_only_repository_a_page_links_is_taken():
    body = '<a href="https://gitlab.com/lab/segtool">SegTool on GitLab</a>' + FOOTER
    found = code_repos(page(body), PAGE)
    assert found.repos == ["https://gitlab.com/lab/segtool"] and found.note.startswith("links one code")


def test_several_repositories_none_called_code_are_not_guessed():
    body = (
        '<p>We build on <a href="https://github.com/MIC-DKFZ/nnUNet">nnU-Net</a> and '
        '<a href="https://github.com/facebookresearch/segment-anything">SAM</a>.</p>'
    )
    found = code_repos(page(body), PAGE)
    assert (found.repos, found.note) == ([], "links 2 repositories, none said to be the code")


def test_relative_links_and_the_page_source_repository():
    body = '<a href="https://github.com/lab/lab.github.io">page source</a><a href="/docs">Docs</a>'
    assert code_repos(page(body), PAGE).repos == []
