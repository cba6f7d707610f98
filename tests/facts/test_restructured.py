"""README.rst read line for line as the Markdown the document facts understand."""

from snapshots import facts

from auditor.checks.base import registry
from auditor.facts.markdown import parse
from auditor.facts.restructured import rst_as_markdown
from auditor.models import Outcome

README_RST = """===========
 volconvert
===========

Convert DICOM series to NIfTI volumes.

Installation
------------

pip:

.. code-block:: bash

   pip install volconvert

Usage
-----
Run it on a folder::

    volconvert input_dir output_dir

See the `documentation <https://volconvert.readthedocs.io>`_ and ``volconvert -h``.
"""


def test_titles_literal_blocks_links_and_literals_become_markdown_on_the_same_lines():
    text = rst_as_markdown(README_RST)
    assert len(text.splitlines()) == len(README_RST.splitlines())
    doc = parse("README.rst", text)
    assert [(h.title, h.line) for h in doc.headings] == [
        ("volconvert", 2),
        ("Installation", 7),
        ("Usage", 16),
    ]
    assert [(b.info, b.text.strip(), b.line) for b in doc.code_blocks] == [
        ("bash", "pip install volconvert", 13),
        ("", "volconvert input_dir output_dir", 20),
    ]
    assert [link.url for link in doc.links] == ["https://volconvert.readthedocs.io"]
    assert [c.text for c in doc.inline_code] == ["volconvert -h"]


def test_a_block_that_ends_the_document_is_closed():
    text = rst_as_markdown("Example::\n\n    run.sh --fast\n")
    assert parse("README.rst", text).code_blocks[0].text.strip() == "run.sh --fast"


def test_a_readme_rst_gives_its_install_steps_and_commands():
    pyproject = '[project]\nname = "volconvert"\n\n[project.scripts]\nvolconvert = "volconvert.cli:main"\n'
    cli = "import sys\n\n\ndef main():\n    convert(sys.argv[1], sys.argv[2])\n" * 3
    files = {"README.rst": README_RST, "pyproject.toml": pyproject, "volconvert/cli.py": cli}
    install = registry()["readme-install"](facts(files))
    assert install.outcome is Outcome.PASS and install.evidence[0].line == 14
    assert registry()["readme-commands"](facts(files)).outcome is Outcome.PASS
