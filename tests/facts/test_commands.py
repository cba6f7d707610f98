"""README commands: split like a shell, `cd` followed, slots and missing files told apart."""

from hypothesis import assume, given
from hypothesis import strategies as st
from repos import EVAL_PY, REQUIREMENTS_PINNED, SETUP_PY, TRAIN_PY
from snapshots import facts

from auditor.facts.commands import readme_commands


def analyses(readme: str, files: dict | None = None, **kwargs):
    snap = facts({"README.md": readme, **(files or {})}, **kwargs)
    return readme_commands(snap).analyses


def test_continuations_prompts_and_chains_are_split_into_commands():
    text = "# T\n\n```console\n$ cd src && python train.py \\\n    --epochs 10\n$ CUDA_VISIBLE_DEVICES=0 python evaluate.py\n```\n"
    found = analyses(text, {"src/train.py": TRAIN_PY, "src/evaluate.py": EVAL_PY})
    assert [(a.kind, a.command.words[:2], a.command.line) for a in found] == [
        ("cd", ("cd", "src"), 4),
        ("run", ("python", "train.py"), 4),
        ("run", ("python", "evaluate.py"), 6),
    ]
    assert [r.path for a in found[1:] for r in a.refs] == ["src/train.py", "src/evaluate.py"]


def test_shell_commands_written_in_python_blocks_and_inline_code_are_found():
    text = "# T\n\n```python\npython3 infer.py --image a.png\n```\n\nThen run `bash scripts/eval.sh`.\n"
    found = analyses(text, {"infer.py": EVAL_PY, "scripts/eval.sh": "python infer.py\n"})
    assert [a.refs[0].path for a in found] == ["infer.py", "scripts/eval.sh"]
    assert found[1].command.inline


def test_python_code_is_not_a_command():
    text = "# T\n\n```python\nimport torch\nmodel = torch.load('x.pth')\n```\n"
    assert analyses(text) == []


def test_install_commands_name_the_files_they_need():
    text = "# T\n\n```bash\npip install -r requirements.txt\npip install -e .\nconda env create -f environment.yml\n```\n"
    found = analyses(text, {"requirements.txt": REQUIREMENTS_PINNED, "setup.py": SETUP_PY})
    assert [(a.kind, [(r.path, r.exists) for r in a.refs]) for a in found] == [
        ("install", [("requirements.txt", True)]),
        ("install", [("setup.py", True)]),
        ("install", [("environment.yml", False)]),
    ]
    assert found[2].missing[0].path == "environment.yml"


def test_numbered_steps_in_a_code_block_are_commands():
    text = "# T\n\n```\n1. pip install -r requirements.txt\n2) python infer.py --image a.png\n```\n"
    found = analyses(text, {"infer.py": EVAL_PY, "requirements.txt": REQUIREMENTS_PINNED})
    assert [(a.kind, a.command.line) for a in found] == [("install", 4), ("run", 5)]


def test_a_comment_in_a_code_block_is_not_a_command():
    text = (
        "# T\n\n```python\n# make log-Mel spectrogram and move it to the device\nmel = log_mel(audio)\n```\n"
    )
    assert analyses(text) == []


def test_a_command_markdown_turned_into_a_heading_is_a_command():
    text = "# UNet\n\nTrain the model by running:\n\n  # python main.py\n\n## Python API\n"
    found = analyses(text, {"main.py": TRAIN_PY})
    assert [(a.kind, a.command.line, [r.path for r in a.refs]) for a in found] == [("run", 5, ["main.py"])]


def test_a_clone_of_the_readers_own_fork_is_this_repository():
    text = (
        "# T\n\n```\ngit clone https://github.com/your-username/segtool.git\ncd segtool\n"
        "conda env create -f environment.yml\n```\n"
    )
    found = analyses(text, {"environment.yml": "name: x\ndependencies:\n  - numpy\n"})
    assert [(r.path, r.exists) for r in found[-1].refs] == [("environment.yml", True)]


def test_shell_variables_the_readme_sets_are_values_not_slots():
    text = (
        "# T\n\n```\nmodel=gpt3-xl  # or gpt3\ndataset=multiarith\n```\n\n"
        "```\npython main.py --model=${model} --dataset=${dataset}\npython main.py --data ${DATA_DIR}\n```\n"
    )
    found = [a for a in analyses(text, {"main.py": TRAIN_PY}) if a.kind == "run"]
    assert [a.template for a in found] == [False, True]


def test_pytest_runs_the_repositorys_code_through_its_tests_and_compose_build_installs():
    text = (
        "# T\n\nExecute `pytest` to check the install; `numpy` is needed.\n\n"
        "```\ndocker compose build deploy\npython -m pytest tests/\n```\n"
    )
    found = analyses(
        text,
        {
            "tests/test_model.py": "from model import UNet\n\n\ndef test_shape():\n    assert UNet(1, 2)\n",
            "compose.yaml": "services: {}\n",
        },
    )
    assert [(a.kind, a.console, [r.path for r in a.refs]) for a in found] == [
        ("run", "pytest", []),
        ("install", None, ["compose.yaml"]),
        ("run", "pytest", []),
    ]
    # without tests, pytest runs nothing of the repository
    assert [a.kind for a in analyses("# T\n\nRun `pytest`.\n")] == ["other"]


def test_a_slot_in_the_environment_a_command_sets_makes_it_a_template():
    text = "# T\n\n```\nCUDA_VISIBLE_DEVICES=<device_ids> python test.py -c <path/to/config.json>\n```\n"
    found = analyses(text, {"test.py": EVAL_PY})
    assert found[0].template and "<device_ids>" in found[0].placeholders
    concrete = "# T\n\n```\nCUDA_VISIBLE_DEVICES=0 python test.py -c <path/to/config.json>\n```\n"
    assert not analyses(concrete, {"test.py": EVAL_PY})[0].template


def test_windows_paths_quoted_commands_and_start_are_read():
    text = (
        "# T\n\n```\npip install -r .\\requirements.txt\nstart python main.py\n```\n\n"
        "Then:\n\n> python -m venv env\n\n> pip install -r requirements.txt\n"
    )
    found = analyses(text, {"requirements.txt": REQUIREMENTS_PINNED, "main.py": TRAIN_PY})
    assert [(a.kind, [(r.path, r.exists) for r in a.refs]) for a in found] == [
        ("install", [("requirements.txt", True)]),
        ("run", [("main.py", True)]),
        ("other", []),
        ("install", [("requirements.txt", True)]),
    ]


def test_an_image_loaded_from_a_file_is_what_a_local_docker_run_runs():
    text = (
        "# Airway\n\n```\ngzip -d -c [docker_path] | docker load\n```\n\n"
        "```\ndocker run --gpus all -v [input directory]:/inputs -it medibot\nmake init\n```\n"
    )
    found = analyses(text, {"Makefile": "init:\n\tdocker build .\n"})
    assert [(a.kind, a.image) for a in found if a.command.program == "docker"] == [
        ("install", None),
        ("run", "medibot"),
    ]
    assert [a.kind for a in found if a.command.program == "make"] == ["install"]
    # without a load, a bare image name is someone else's
    assert analyses("# T\n\n```\ndocker run -it medibot\n```\n")[0].kind == "other"


def test_make_needs_a_makefile_unless_one_is_generated():
    text = "# T\n\n```\npip install .\nmake install-dev\nmake test\n```\n"
    found = analyses(text, {"setup.py": SETUP_PY})
    assert [(a.kind, [(r.path, r.exists) for r in a.refs]) for a in found[1:]] == [
        ("install", [("Makefile", False)]),
        ("run", [("Makefile", False)]),
    ]
    # `cmake .. && make` builds from a CMakeLists.txt: the Makefile comes from it
    built = analyses(text, {"setup.py": SETUP_PY, "CMakeLists.txt": "project(x)\n"})
    assert [a.kind for a in built[1:]] == ["other", "other"]


def test_conda_env_create_given_package_specs_is_a_plain_create():
    # written for `conda create`: no environment file is read, so none is missing
    text = "# T\n\n```bash\nmamba env create -n seg python=3.10\nconda env create -n seg\n```\n"
    found = analyses(text)
    assert (found[0].kind, found[0].packages, found[0].refs) == ("env", ("python=3.10",), ())
    assert [(r.path, r.exists) for r in found[1].refs] == [("environment.yml", False)]


def test_named_packages_and_container_images_are_install_steps():
    text = "# T\n\n```bash\npip install torch==2.1.0 'monai[all]'\ndocker pull lab/segtool:1.0\n```\n"
    found = analyses(text)
    assert found[0].packages == ("torch==2.1.0", "monai[all]")
    assert found[1].packages == ("lab/segtool:1.0",)


def test_slots_tell_templates_from_commands():
    text = (
        "# T\n\n```bash\npython train.py --data <path>\npython train.py --lr [lr]\n"
        "python train.py --model unet --data /path/to/data\npython train_xx.py\n```\n"
    )
    found = analyses(text, {"train.py": TRAIN_PY})
    # a slot for the reader's own data is how a command is written; a setting or the script is not
    assert [a.template for a in found] == [False, True, False, True]
    assert found[3].script_placeholder


def test_cd_into_the_repository_itself_and_back_from_another_checkout():
    text = (
        "# T\n\n```bash\ngit clone https://github.com/lab/segtool.git\ncd segtool\n"
        "git clone https://github.com/other/lib.git\ncd lib\npython setup.py install\ncd ..\npython train.py\n```\n"
    )
    found = analyses(text, {"train.py": TRAIN_PY})
    install = next(a for a in found if a.kind == "install")
    assert install.command.cwd is None and install.missing == []
    assert found[-1].command.cwd == "" and found[-1].refs[0].exists


def test_a_missing_file_after_cloning_another_repository_proves_nothing():
    text = "# T\n\n```bash\ngit clone https://github.com/other/lib.git\n```\n\n```bash\npython tools/run.py\n```\n"
    (_, run) = analyses(text)
    assert run.command.foreign and run.missing == []


def test_module_runs_resolve_to_files_and_installed_modules_are_not_claims():
    text = "# T\n\n```bash\npython -m segtool.train\npython -m torch.utils.collect_env\n```\n"
    found = analyses(text, {"segtool/train.py": TRAIN_PY})
    assert found[0].kind == "run" and found[0].refs[0].path == "segtool/train.py"
    assert found[1].kind == "other"


def test_a_script_name_found_in_several_folders_cannot_be_placed():
    text = "# Data\n\n```bash\npython process.py --num-cpus 8\n```\n"
    (run,) = analyses(text, {"data/ct_rate/process.py": TRAIN_PY, "data/rad_chestct/process.py": TRAIN_PY})
    assert run.refs[0].path is None and run.missing == []


def _shlex_split(line: str) -> list[list[str]]:
    """The split as shlex alone makes it: what the whitespace fast path must agree with."""
    import shlex

    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        words = list(lexer)
    except ValueError:
        return []
    commands: list[list[str]] = [[]]
    for word in words:
        if set(word) <= set(";&|"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c]


@given(st.text(alphabet=st.sampled_from("ab-=./\\ \t\r\n\x0b\x0c\xa0\u2003'\"#;&|é$*~"), max_size=30))
def test_a_line_is_split_as_shlex_splits_it_whether_or_not_it_has_shell_syntax(line):
    from auditor.facts.commands import _WINDOWS_SEPARATOR, _split

    assume(not _WINDOWS_SEPARATOR.search(line))  # rewritten to `/` first, on either route
    assert _split(line) == _shlex_split(line)
