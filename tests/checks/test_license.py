"""License: which one, restrictions, conflicts, and only the project's own license counts."""

import pytest
from repos import (
    APACHE_LICENSE,
    BSD3_LICENSE,
    CC_BY_NC_SA_LICENSE,
    GPL3_LICENSE,
    MIT_LICENSE,
    RESEARCH_ONLY_LICENSE,
    SETUP_PY,
    TRAIN_PY,
)
from snapshots import facts

from auditor.checks.base import registry
from auditor.checks.license import identify
from auditor.models import Outcome


def run(files: dict, **kwargs):
    return registry()["license"](facts({"train.py": TRAIN_PY, **files}, **kwargs))


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (MIT_LICENSE, "MIT"),
        (APACHE_LICENSE, "Apache-2.0"),
        (BSD3_LICENSE, "BSD-3-Clause"),
        (GPL3_LICENSE, "GPL-3.0"),
        (CC_BY_NC_SA_LICENSE, "CC-BY-NC-SA-4.0"),
        (RESEARCH_ONLY_LICENSE, None),
    ],
)
def test_license_texts_are_identified(text, spdx):
    assert identify(text) == spdx


def test_a_license_that_names_another_one_is_the_license_it_is_titled():
    """The GPL speaks of the Affero GPL in its section 13; the LGPL incorporates the GPL."""
    gpl = GPL3_LICENSE + "\n13. Use with the GNU Affero General Public License.\n"
    assert identify(gpl) == "GPL-3.0"
    lgpl = "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3\n\nThis version of the GNU Lesser General Public License incorporates the terms of version 3 of the GNU General Public License.\n"
    assert identify(lgpl) == "LGPL-3.0"
    agpl = "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3\n\n13. Use with the GNU General Public License.\n"
    assert identify(agpl) == "AGPL-3.0"


def test_a_license_quoted_for_a_bundled_library_is_not_the_works_license():
    """A university's own non-commercial terms, with the MIT license of a library the work bundles
    quoted at the end: the file's license is the custom one it opens with. A standard license after
    a long list of its copyright holders is still that license."""
    terms = "\n".join(
        f"{n}. The Work may be used, reproduced and modified solely for academic and other "
        "non-commercial research purposes, under the conditions of this section." * 3
        for n in range(1, 30)
    )
    custom = (
        "License Text for the Imaging Lab Project\n\n" + terms + "\n\n30. Keras Library. The Work "
        "includes the Keras library, offered under the MIT License as follows:\n\n" + MIT_LICENSE
    )
    assert identify(custom) is None
    result = run({"LICENSE": custom})
    assert result.message.startswith("custom license") and "non-commercial" in result.message
    holders = "".join(f"Copyright (c) 20{y:02d} Contributor Number {y} of the project\n" for y in range(40))
    assert identify(holders + "\n" + MIT_LICENSE) == "MIT"


@pytest.mark.parametrize(
    "name", ["LICENSE", "LICENSE.md", "licence.txt", "COPYING", "LICENSE-MIT", "LICENSES/MIT.txt"]
)
def test_license_file_names(name):
    result = run({name: MIT_LICENSE})
    assert result.outcome is Outcome.PASS
    assert result.message == "MIT license"
    assert result.evidence[0].path == name


def test_no_license_fails():
    result = run({"README.md": "# Tool\n"})
    assert result.outcome is Outcome.FAIL


def test_a_license_inside_a_vendored_folder_does_not_license_the_project():
    result = run({"third_party/sam/LICENSE": APACHE_LICENSE, "docs/LICENSE": MIT_LICENSE})
    assert result.outcome is Outcome.FAIL
    assert "subfolders" in result.message
    assert {e.path for e in result.evidence} == {"third_party/sam/LICENSE", "docs/LICENSE"}


def test_host_detected_license_counts_when_the_tree_has_no_file():
    result = run({}, license_spdx="Apache-2.0")
    assert result.outcome is Outcome.PASS and result.message.startswith("Apache-2.0")
    assert result.evidence[0].url == "https://github.com/lab/segtool"


def test_non_commercial_and_research_only_terms_are_flagged():
    nc = run({"LICENSE": CC_BY_NC_SA_LICENSE})
    assert nc.outcome is Outcome.PASS and "non-commercial" in nc.message
    custom = run({"LICENSE.txt": RESEARCH_ONLY_LICENSE})
    assert custom.outcome is Outcome.PASS
    assert custom.message.startswith("custom license") and "research only" in custom.message


def test_badge_that_names_another_license_is_a_conflict():
    badge = "# Tool\n\n[![License](https://img.shields.io/badge/License-Apache_2.0-blue.svg)](LICENSE)\n"
    result = run({"LICENSE": MIT_LICENSE, "README.md": badge})
    assert result.outcome is Outcome.PASS
    assert "conflict: README.md names Apache-2.0, LICENSE is MIT" in result.message
    assert any(e.path == "README.md" and e.line == 3 for e in result.evidence)


def test_setup_py_license_that_differs_from_the_file_is_a_conflict():
    result = run({"LICENSE": GPL3_LICENSE, "setup.py": SETUP_PY})
    assert "conflict: setup.py names MIT, LICENSE is GPL-3.0" in result.message
    agree = run({"LICENSE": MIT_LICENSE, "setup.py": SETUP_PY})
    assert "conflict" not in agree.message


def test_readme_names_a_license_but_there_is_no_text():
    text = "# Tool\n\n## License\n\nThis project is released under the MIT License.\n"
    result = run({"README.md": text})
    assert result.outcome is Outcome.FAIL
    assert "names MIT" in result.message


def test_empty_license_file_fails():
    assert run({"LICENSE": "\n"}).outcome is Outcome.FAIL


def test_a_license_section_naming_another_license_in_words_is_a_conflict():
    for words in (
        "This project is licensed under the GNU General Public License v3.0.",
        "GPL-3.0",
    ):
        files = {"README.md": f"# SegTool\n\n## License\n\n{words}\n", "LICENSE": APACHE_LICENSE}
        result = run(files)
        assert result.outcome is Outcome.PASS
        assert "conflict: README.md names GPL-3.0, LICENSE is Apache-2.0" in result.message, words
    # the licenses of the code a project uses are not claims about its own
    files = {
        "README.md": "# SegTool\n\n## License\n\nIts original authors released it under MIT.\n",
        "LICENSE": APACHE_LICENSE,
    }
    assert "conflict" not in run(files).message
