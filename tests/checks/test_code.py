"""Code present (the placeholder verdict), training code and evaluation code, from the tree."""

import pytest
from repos import (
    EVAL_PY,
    MIT_LICENSE,
    MODEL_PY,
    README_INSTALL,
    README_TRAIN,
    SETUP_PY,
    TRAIN_NOTEBOOK,
    TRAIN_PY,
    complete_repo,
    notebook,
    readme,
)
from snapshots import LARGE, facts

from auditor.checks.base import registry
from auditor.facts.code_search import MAX_READ
from auditor.facts.kind import ml_evidence
from auditor.models import Outcome


def run(check_id: str, files: dict, **kwargs):
    return registry()[check_id](facts(files, **kwargs))


# --- placeholder verdict ------------------------------------------------------------------------


def test_a_research_repository_has_code():
    result = run("code", complete_repo())
    assert result.outcome is Outcome.PASS
    assert "train.py" in {e.path for e in result.evidence}


def test_a_formalisation_checked_by_a_proof_assistant_is_code_that_trains_nothing():
    """A paper's definitions and proofs (Coq here) are its code; no model is trained."""
    proof = (
        "Require Import Reals.\n\nTheorem classical_field : forall x : R, x = x.\nProof. reflexivity. Qed.\n"
    )
    files = {
        "README.md": "# Classical monad\n\nSection 3 is theories/reals.v.\n",
        "_CoqProject": "-R theories CM\n",
    }
    files |= {"theories/reals.v": proof * 4, "theories/base.v": proof * 4}
    assert run("code", files).outcome is Outcome.PASS
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE


def test_readme_only_repository_is_a_placeholder_even_with_a_detailed_readme():
    detailed = readme(README_INSTALL, README_TRAIN, "## Code\n\nThe code will be released upon acceptance.\n")
    files = {"README.md": detailed, "LICENSE": MIT_LICENSE, "figs/framework.png": b"\x89PNG" + bytes(100)}
    result = run("code", files)
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith("placeholder")
    promise = [e for e in result.evidence if e.line]
    assert promise and "will be released" in promise[0].note
    assert detailed.splitlines()[promise[0].line - 1].startswith("The code will be released")


def test_a_readme_laying_out_its_folders_says_no_code_is_to_come():
    """ "The repository is organized into these folders" describes it; "the code is being
    organized" says it is not here yet."""
    pipeline = "#!/bin/bash\nset -e\nfor bam in data/*.bam; do\n  modkit pileup $bam ${bam%.bam}.bed\ndone\n"
    analysis = "import pandas as pd\n\n\ndef rmse(a, b):\n    return ((a - b) ** 2).mean() ** 0.5\n\n\n"
    analysis += "print(rmse(pd.read_csv('a.bed'), pd.read_csv('b.bed')))\n"
    scripts = {f"ONT/scripts/run_step{i}.sh": pipeline for i in range(3)} | {
        "HCP/scripts/cal_rmse.py": analysis
    }
    laid_out = "# Paper code\n\nThe repository is organized into the following main folders.\n"
    assert run("code", {"README.md": laid_out, **scripts}).outcome is Outcome.PASS
    coming = "# Paper code\n\nThe code is being organized and cleaned.\n"
    result = run("code", {"README.md": coming, **scripts})
    assert result.outcome is Outcome.FAIL and "still to come" in result.message


def test_empty_stubs_and_packaging_files_are_not_code():
    files = {
        "README.md": "# MyNet\n\nComing soon.\n",
        "setup.py": "from setuptools import setup\nsetup()\n",
        "mynet/__init__.py": "",
        "train.py": "# TODO\n",
    }
    assert run("code", files).outcome is Outcome.FAIL


def test_python_files_of_docstrings_and_comments_alone_are_stubs():
    """A placeholder's module files that only say what they will hold (a TODO docstring, an author
    line, `pass`) are no code; one statement among the comments is."""
    todo = '''"""\nTODO: functions to segment tissue with help from synthesised images\nAuthor: A. Person\n"""\n'''
    files = {
        "README.md": "# TissueSeg\n\nThe pre-trained model is provided in this repository.\n",
        "segment/seg_net.py": todo,
        "synth/gan.py": todo + "# the generator goes here\npass\n",
        "requirements.txt": "torch\n",
    }
    result = run("code", files)
    assert result.outcome is Outcome.FAIL and result.message.startswith("placeholder")
    assert run("training-code", files).outcome is Outcome.FAIL
    files["synth/gan.py"] = todo + "import torch\n"
    assert run("code", files).outcome is Outcome.PASS


def test_vendored_code_alone_does_not_count_as_the_projects_code():
    files = {
        "README.md": "# Tool\n",
        "third_party/mmseg/setup.py": MODEL_PY,
        "external/x.py": MODEL_PY,
        "MedSeg.egg-info/SOURCES.txt": "x",
    }
    result = run("code", files)
    assert result.outcome is Outcome.FAIL
    assert "third-party" in result.message


def test_a_copy_of_a_well_known_package_alone_is_still_a_placeholder():
    files = {
        "README.md": "# SAM-Med\n\nCode coming soon.\n",
        "segment_anything/modeling/sam.py": MODEL_PY,
        "segment_anything/build_sam.py": MODEL_PY,
    }
    assert run("code", files).outcome is Outcome.FAIL


def test_curated_paper_list_is_not_applicable():
    rows = "\n".join(
        f"- [Diffusion paper {i}](https://arxiv.org/abs/2301.{i:05d}) [[code]](https://github.com/a/b{i})"
        for i in range(40)
    )
    files = {
        "README.md": f"# Awesome Diffusion in Medical Imaging\n\n## Segmentation\n\n{rows}\n",
        "LICENSE": MIT_LICENSE,
    }
    for check_id in ("code", "training-code", "evaluation-code", "pretrained-weights", "dependencies"):
        assert run(check_id, files).outcome is Outcome.NOT_APPLICABLE, check_id


def test_dataset_release_without_code_has_no_training_or_evaluation_to_ask_for():
    text = (
        "# Fundus-VQA\n\nA visual question answering dataset built from 40 public fundus datasets.\n\n"
        "## Data\n\nThe QA pairs are on [Hugging Face](https://huggingface.co/datasets/lab/Fundus-VQA).\n"
    )
    files = {"README.md": text, "assets/overview.jpg": b"\xff\xd8" + bytes(50)}
    snap_args = {"url": "https://github.com/lab/Fundus-VQA"}
    assert run("training-code", files, **snap_args).outcome is Outcome.NOT_APPLICABLE
    assert run("evaluation-code", files, **snap_args).outcome is Outcome.NOT_APPLICABLE
    # the data is what it delivers: no placeholder of code
    code = run("code", files, **snap_args)
    assert code.outcome is Outcome.NOT_APPLICABLE and "dataset" in code.message


def test_partial_tree_without_code_is_unknown():
    assert run("code", {"README.md": "# X\n"}, truncated=True).outcome is Outcome.UNKNOWN
    # the training and evaluation items say the same: the code may be in the part not returned
    for item in ("training-code", "evaluation-code"):
        result = run(item, {"README.md": "# X\n"}, truncated=True)
        assert result.outcome is Outcome.UNKNOWN and "partial file tree" in result.message


# --- training code ------------------------------------------------------------------------------


def test_training_loop_found_with_its_line():
    result = run("training-code", complete_repo())
    assert result.outcome is Outcome.PASS
    hit = next(e for e in result.evidence if e.path == "train.py")
    assert "torch.optim" in TRAIN_PY.splitlines()[hit.line - 1]


def test_training_in_a_notebook_counts():
    files = {"README.md": "# Aug\n", "Training model/resnet50.ipynb": TRAIN_NOTEBOOK}
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "Training model/resnet50.ipynb"


def test_trainer_frameworks_count_without_a_train_name():
    lightning = "from lightning.pytorch.cli import LightningCLI\n\nLightningCLI(save_config_kwargs={})\n"
    assert run("training-code", {"run_cli.py": lightning, "m.py": MODEL_PY}).outcome is Outcome.PASS


def test_inference_only_code_has_no_training_code():
    files = {"README.md": "# Demo\n", "predict.py": EVAL_PY, "models/unet.py": MODEL_PY}
    result = run("training-code", files)
    assert result.outcome is Outcome.FAIL
    assert "2 source file(s)" in result.message


def test_a_download_script_named_train_is_not_training_code():
    download = "import requests\n" + "\n".join(f"requests.get('https://x/{i}')" for i in range(12)) + "\n"
    files = {"data/download_train.py": download, "models/unet.py": MODEL_PY}
    assert run("training-code", files).outcome is Outcome.FAIL


def test_unit_tests_of_a_trainer_are_not_training_code():
    unit = "import pytest\nfrom pkg.trainer import Trainer\n\ndef test_fit():\n    Trainer(max_epochs=1)\n"
    files = {"tests/test_trainer.py": unit, "models/unet.py": MODEL_PY}
    assert run("training-code", files).outcome is Outcome.FAIL


def test_parameters_updated_by_hand_from_their_gradients_are_training():
    """Code that trains without an optimizer class (a lecture's bigram model, a NumPy network from
    scratch) is training code all the same; an image nudged along its gradient is not."""
    by_hand = notebook(
        "W = torch.randn((27, 27), requires_grad=True)",
        "for k in range(100):\n    loss = -probs.log().mean()\n    W.grad = None\n    loss.backward()\n"
        "    W.data += -0.1 * W.grad",
    )
    result = run("training-code", {"README.md": "# Bigrams\n", "lectures/bigram.ipynb": by_hand})
    assert result.outcome is Outcome.PASS and result.evidence[0].note == "W.data += -0.1 * W.grad"
    numpy = "import numpy as np\n\n\ndef step(w, x, y, lr):\n    grad_w = x.T @ (x @ w - y)\n    w -= lr * grad_w\n"
    numpy += "    return w\n" * 3
    assert run("training-code", {"README.md": "# LinReg\n", "fit.py": numpy}).outcome is Outcome.PASS
    attack = (
        "import torch\n\n\ndef fgsm(model, img, eps):\n    loss = model(img).sum()\n    loss.backward()\n"
    )
    attack += "    return img + eps * img.grad.sign()\n"
    assert run("training-code", {"README.md": "# Attack\n", "attack.py": attack}).outcome is not Outcome.PASS


def test_theano_training_and_a_test_split_score_are_found():
    """Code of the Theano years: a compiled function that applies gradient updates trains; a score
    assigned for the test split evaluates."""
    script = (
        "import theano\nimport numpy as np\n\n\ndef fit(model, cost, params):\n"
        "    grad_updates = sgd_updates_adadelta(params, cost)\n"
        "    train_model = theano.function([index], cost, updates=grad_updates)\n"
        "    test_losses = [test_model(i) for i in range(batches)]\n"
        "    test_perf = 1 - np.mean(test_losses)\n    return test_perf\n"
    )
    files = {"README.md": "# SentenceCNN\n", "conv_net.py": script}
    assert run("training-code", files).evidence[0].note.startswith("train_model = theano.function(")
    assert run("evaluation-code", files).evidence[0].note.startswith("test_losses = [test_model(i)")
    # a comparison is no score assigned
    quiet = script.replace("    test_losses = [test_model(i) for i in range(batches)]\n", "")
    quiet = quiet.replace("test_perf = 1 - np.mean(test_losses)", "assert test_perf == 0")
    assert run("evaluation-code", {**files, "conv_net.py": quiet}).outcome is Outcome.FAIL


def test_a_matlab_loop_over_training_epochs_is_training_code():
    body = (
        "function net = rbmlearn(net, x, opts)\n  for i = 1 : opts.numepochs\n"
        "    net.W = net.W + opts.alpha * (pos - neg);\n  end\nend\n"
    )
    result = run("training-code", {"README.md": "# Toolbox\n", "RBM/rbmlearn.m": body})
    assert result.outcome is Outcome.PASS and result.evidence[0].note.startswith("for i = 1 : opts.numepochs")
    plot = "function show(x)\n  for i = 1 : numel(x)\n    plot(x{i});\n  end\nend\n"
    assert run("training-code", {"README.md": "# Toolbox\n", "show.m": plot * 3}).outcome is not Outcome.PASS
    # a recording cut into epochs (segments of time), each analysed: nothing learns
    segments = (
        "function xc = xcorr_epochs(data_epochs)\n  nepochs = size(data_epochs, 2);\n"
        "  for n = 1:nepochs\n    xc(:, n) = xcorr(data_epochs(:, n));\n  end\nend\n"
    )
    files = {"README.md": "# LFP analysis\n", "LFP/xcorr_epochs.m": segments}
    assert run("training-code", files).outcome is not Outcome.PASS


def test_keras_training_by_generator_or_batch_is_training_code():
    """Keras 1 and 2 trained with `fit_generator` or `train_on_batch`, under any model's name."""
    body = (
        "from keras.optimizers import Adam\n\nUNetModel = build_unet()\n"
        "UNetModel.compile(optimizer=Adam(1e-4), loss=dice_loss)\n"
        "history = UNetModel.fit_generator(train_gen, steps_per_epoch=100, epochs=50)\n"
    )
    result = run("training-code", {"README.md": "# Partial labels\n", "main_unet.py": body})
    assert result.outcome is Outcome.PASS and "fit_generator" in result.evidence[0].note
    gan = body.replace(
        "history = UNetModel.fit_generator(train_gen, steps_per_epoch=100, epochs=50)",
        "d_loss = D.train_on_batch(x, y)",
    )
    assert run("training-code", {"README.md": "# GAN\n", "gan.py": gan}).outcome is Outcome.PASS


def test_a_statistical_model_fitted_for_inference_is_not_training_code():
    """A regression fitted to estimate effects (R's glm, a survival model, MATLAB's fitglm) is the
    analysis of a study, not a model trained to be used; a random forest or an SVM is trained."""
    analysis = (
        "library(survival)\nd <- read.csv('ess.csv')\n"
        "fit <- glm(limited ~ income + age + sex, family = binomial, data = d)\n"
        "cox <- coxph(Surv(time, event) ~ group, data = d)\nsummary(fit)\n"
    )
    files = {"README.md": "# Analyses of the paper\n", "analysis/01_regression.R": analysis}
    assert run("training-code", files).outcome is not Outcome.PASS
    glm = "d = readtable('t.csv');\nmdl = fitglm(d, 'y ~ x1 + x2', 'Distribution', 'binomial');\ndisp(mdl)\n"
    assert run("training-code", {"README.md": "# Study\n", "stats.m": glm}).outcome is not Outcome.PASS
    forest = analysis.replace(
        "glm(limited ~ income + age + sex, family = binomial, data = d)",
        "randomForest(limited ~ ., data = d)",
    )
    result = run("training-code", {**files, "analysis/01_regression.R": forest})
    assert result.outcome is Outcome.PASS and "randomForest(" in result.evidence[0].note


def test_a_policy_run_on_evaluation_episodes_is_evaluation_code():
    """Reinforcement learning has no test split: a policy is evaluated by its return over episodes
    of an environment kept for evaluation."""
    main = (
        "import gym\n\n\ndef run_policy(policy, env_name, episodes=10):\n    eval_env = gym.make(env_name)\n"
        "    total = 0.0\n    for _ in range(episodes):\n        state, done = eval_env.reset(), False\n"
        "        while not done:\n            state, reward, done, _ = eval_env.step(policy.act(state))\n"
        "            total += reward\n    return total / episodes\n"
    )
    result = run("evaluation-code", {"README.md": "# Agent\n", "main.py": main, "agent.py": MODEL_PY})
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "main.py"


def test_a_model_release_whose_script_downloads_its_weights_trained_a_model():
    """A release of trained models (a download script for them, sampling code) without the code
    that trained them lacks training code: it is no tool that trains nothing."""
    fetch = (
        "import requests\n\n\ndef main(size):\n    base = 'https://models.lab.example.org/lm/' + size\n"
        "    for name in ('checkpoint', 'hparams.json'):\n        requests.get(base + '/' + name)\n"
    )
    files = {
        "README.md": "# LM\n\nSample from our models.\n",
        "download_model.py": fetch,
        "src/sample.py": MODEL_PY,
    }
    result = run("training-code", files)
    assert result.outcome is Outcome.FAIL and "its trained weights" in result.message
    assert result.evidence[0].path == "download_model.py"


def test_a_large_repository_names_the_first_files_found_and_stops_reading():
    files = {f"experiments/train_{i:03d}.py": TRAIN_PY for i in range(40)} | {"models/unet.py": MODEL_PY}
    snap = facts(files)
    result = registry()["training-code"](snap)
    assert result.outcome is Outcome.PASS and result.message == "training code found (first 3 files)"
    assert [e.path for e in result.evidence] == [f"experiments/train_{i:03d}.py" for i in range(3)]
    assert len(snap.snapshot._texts) < 10  # the other 37 scripts were never read


def test_files_not_named_for_training_are_read_only_until_one_is_found():
    files = {f"experiments/run_{i:03d}.py": TRAIN_PY for i in range(40)} | {"models/unet.py": MODEL_PY}
    snap = facts(files)
    result = registry()["training-code"](snap)
    assert result.outcome is Outcome.PASS and result.message == "training code found in 1 file(s)"
    assert [e.path for e in result.evidence] == ["experiments/run_000.py"]
    assert len(snap.snapshot._texts) < 5


def test_nothing_found_in_the_files_read_of_a_huge_tree_is_unknown_not_a_failure():
    files = {f"pkg/mod{i:04d}.py": MODEL_PY for i in range(MAX_READ + 1)}
    result = run("training-code", files)
    assert result.outcome is Outcome.UNKNOWN
    assert (
        result.message
        == f"no training code in the {MAX_READ} likeliest of {MAX_READ + 1} source files; the others were not read"
    )


def test_training_script_too_large_to_read_counts_by_name():
    result = run("training-code", {"train_ddp.py": LARGE, "models/unet.py": MODEL_PY})
    assert result.outcome is Outcome.PASS and "too large" in result.evidence[0].note


def failing_reads(files: dict, failing: set[str]):
    """The facts of `files` where reading the `failing` ones fails (a fetch of the host that did
    not answer): listed with their size, their text None."""
    snap = facts(files)
    reader = snap.snapshot.reader
    snap.snapshot.reader = lambda path, cap: None if path in failing else reader(path, cap)
    return snap


def test_a_source_file_whose_read_failed_is_not_read_as_empty():
    files = {"README.md": readme(README_TRAIN), "models/unet.py": MODEL_PY, "engine.py": TRAIN_PY}
    for item in ("training-code", "evaluation-code"):
        result = registry()[item](failing_reads(files, {"engine.py"}))
        assert result.outcome is Outcome.UNKNOWN, item
        assert "could not be read: engine.py" in result.message
        assert [(e.path, e.note) for e in result.evidence] == [("engine.py", "could not be read")]
    every = registry()["training-code"](failing_reads(files, {"engine.py", "models/unet.py"}))
    assert every.outcome is Outcome.UNKNOWN and every.message.startswith("the source files could not be read")
    # a file named for training counts by its name, as one too large to read does
    named = registry()["training-code"](failing_reads(files | {"train.py": TRAIN_PY}, {"train.py"}))
    assert named.outcome is Outcome.PASS
    assert (named.evidence[0].path, named.evidence[0].note) == ("train.py", "named for it; could not be read")


def test_shell_script_that_launches_training_counts():
    script = "#!/bin/bash\nexport CUDA_VISIBLE_DEVICES=0\npython main_pretrain.py --epochs 800\n"
    result = run("training-code", {"exps/pretrain.sh": script, "util/misc.py": MODEL_PY})
    assert result.outcome is Outcome.PASS


def test_readme_command_into_a_vendored_copy_counts_as_the_projects_training():
    files = {
        "README.md": "# CLIP-Seg\n\n```bash\nbash open_clip/scripts/finetune_biomed.sh\n```\n",
        "open_clip/scripts/finetune_biomed.sh": "torchrun --nproc_per_node 4 -m training.main --train-data x\n",
        "open_clip/src/training/main.py": TRAIN_PY,
        "saliency/maps.py": MODEL_PY,
    }
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "open_clip/scripts/finetune_biomed.sh"


def test_tool_without_machine_learning_trains_nothing_and_runs_as_an_app():
    app = "import streamlit as st\nimport pandas as pd\n\nst.title('Annotator')\n" + "st.write(1)\n" * 10
    files = {"README.md": "# PDF annotator\n", "Home.py": app, "requirements.txt": "streamlit==1.30.0\n"}
    result = run("training-code", files)
    assert result.outcome is Outcome.NOT_APPLICABLE
    # the app is how the tool meets its data: its evaluation code, not "not applicable"
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "Home.py"


def test_notebook_code_cells_are_read_like_scripts():
    files = {"README.md": "# Lesions\n", "analysis/classify.ipynb": TRAIN_NOTEBOOK}
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "analysis/classify.ipynb" and "optimizer" in result.evidence[0].note
    # the imports of a code cell say which framework the project uses
    assert ml_evidence(facts(files)).note == "imports torch in a code cell"


def test_cross_validated_estimators_and_r_models_are_training():
    sklearn_cv = notebook(
        "from sklearn.svm import SVC\nfrom sklearn.model_selection import GridSearchCV, cross_val_score",
        "grid = GridSearchCV(SVC(), {'C': [1, 10]}, scoring='roc_auc')\nscores = cross_val_score(grid, X, y, cv=5)",
    )
    result = run("training-code", {"README.md": "# Radiomics\n", "pipeline.ipynb": sklearn_cv})
    assert result.outcome is Outcome.PASS
    forest = "library(randomForest)\ndata <- read.csv('features.csv')\nfit <- randomForest(x = data[, -1], y = data$label)\n"
    assert run("training-code", {"scripts/forest.r": forest * 3}).outcome is Outcome.PASS
    evaluate = "library(pROC)\npred <- predict(fit, test)\nr <- roc(test$label, pred)\nprint(auc(r))\n"
    assert run("evaluation-code", {"scripts/score.r": evaluate * 3}).outcome is Outcome.PASS


def test_fitting_an_encoder_or_a_transformation_is_not_training():
    encoder = (
        "from sklearn.preprocessing import LabelBinarizer\n\n\ndef encode(labels):\n"
        "    lb = LabelBinarizer().fit(labels)\n    return lb.transform(labels)\n"
    )
    files = {"prepare_training_labels.py": encoder * 2, "README.md": "# Tool\n"}
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE
    registration = (
        "import torch\n\n\ndef register(fixed, moving, transformation, loss, iterations=100):\n"
        "    optimizer = torch.optim.Adam(transformation.parameters(), lr=0.01)\n"
        "    for _ in range(iterations):\n        optimizer.zero_grad()\n"
        "        value = loss(fixed, transformation(moving))\n        value.backward()\n        optimizer.step()\n"
    )
    engine = "class Registration:\n    def start(self):\n        for _ in range(self.n):\n            self._optimizer.step(self._closure)\n"
    files = {"examples/affine_2d.py": registration, "registration/engine.py": engine * 3}
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE
    saliency = "import torch\nmask = torch.zeros(1, 1, 64, 64, requires_grad=True)\nopt = torch.optim.Adam([mask], lr=0.1)\n"
    files = {"explain/saliency.py": saliency + "opt.step()\n" * 3}
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE


def test_training_is_expected_where_the_project_says_it_trains():
    # a network of its own, used only for inference: its training code is missing
    files = {"README.md": "# Demo\n", "predict.py": EVAL_PY, "models/unet.py": MODEL_PY}
    result = run("training-code", files)
    assert result.outcome is Outcome.FAIL and "a network of its own" in result.message
    # a package of networks (`pip install unet`, a U-Net library) gives them to its users to train
    package = "# unet\n\nPyTorch implementation of 1D, 2D and 3D U-Net.\n\n```bash\npip install unet\n```\n"
    files = {"README.md": package, "pyproject.toml": '[project]\nname = "unet"\n', "unet/unet.py": MODEL_PY}
    result = run("training-code", files)
    assert result.outcome is Outcome.NOT_APPLICABLE and "for its users to train" in result.message
    # the same package that says it trains (weights of its own) owes its training code
    files["README.md"] = (
        package + "\nOur trained weights: [unet.pth](https://huggingface.co/lab/unet/unet.pth)\n"
    )
    assert run("training-code", files).outcome is Outcome.FAIL
    # the README trains with a script that is not in the tree
    text = "# Detector\n\n## Train\n\n```bash\npython detection/train_detector.py --epochs 100\n```\n"
    result = run("training-code", {"README.md": text, "convert.py": "import json\n" * 20})
    assert result.outcome is Outcome.FAIL
    # a zero-shot method that asks hosted models and trains nothing
    ask = (
        "import argparse\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\ndef answer(question):\n"
        "    reply = client.chat.completions.create(model='gpt-4o', messages=[question])\n"
        "    return reply.choices[0].message.content\n"
    )
    files = {"README.md": "# Zero-shot VQA\n", "ask_models.py": ask}
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE
    assert run("evaluation-code", files).outcome is Outcome.PASS


def test_a_classical_method_has_evaluation_code_in_matlab_and_julia():
    example = (
        "% register the two shapes\nX = load('data/a.txt');\nY = load('data/b.txt');\n"
        + "T = gcpd(X, Y);\n" * 8
    )
    text = "# GCPD\n\nNon-rigid point set registration.\n\n# Usage\n\nRunning Example.m gives Fig. 1 of the paper.\n"
    files = {"README.md": text, "Example.m": example, "gcpd.m": "function T = gcpd(X, Y)\n" + "T = X;\n" * 10}
    assert run("training-code", files).outcome is Outcome.NOT_APPLICABLE
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "Example.m"
    julia = "using Flux\nopt = Flux.ADAM()\nfor it in 1:100\n    Flux.update!(opt, params, grads(it))\nend\n"
    text = "# Bilevel\n\n- scripts/denoise.jl: reproduces the demonstrations of Appendix D.\n"
    files = {"README.md": text, "scripts/denoise.jl": julia * 3, "src/learn.jl": "module Learn\nend\n" * 5}
    assert run("training-code", files).outcome is Outcome.PASS
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and "reproduce" in result.message


def test_julia_training_through_flux_optimise_and_a_calibration_test_is_evaluation():
    script = (
        "using Flux\nusing CalibrationTests\n\nopt = ADAM()\nfor epoch in 1:500\n"
        "    Flux.Optimise.update!(opt, params, gradient(loss, params))\nend\n"
        "p = pvalue(AsymptoticSKCETest(kernel, predictions, targets))\n"
    )
    files = {"README.md": "# Calibration\n", "experiments/friedman/script.jl": script * 2}
    assert run("training-code", files).outcome is Outcome.PASS
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "experiments/friedman/script.jl"


def test_a_tensorflow_estimator_trained_from_the_command_line_is_training_code():
    main = (
        "import tensorflow as tf\n\n\ndef train(params):\n"
        "    estimator = tf.estimator.Estimator(model_fn=model_fn, params=params)\n"
        "    tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)\n"
    )
    files = {"README.md": "# Separator\n", "separator/__main__.py": main * 2, "separator/model.py": MODEL_PY}
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "separator/__main__.py"


def test_a_librarys_console_scripts_are_its_inference_code():
    pyproject = '[project]\nname = "volkit"\n\n[project.scripts]\nvolkit-resample = "volkit.cli:resample"\n'
    cli = "import numpy as np\n\n\ndef resample(path, spacing):\n    return np.zeros(3)\n" * 3
    files = {"pyproject.toml": pyproject, "src/volkit/cli.py": cli, "src/volkit/ops.py": cli}
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "pyproject.toml" and "volkit-resample" in result.evidence[0].note


def test_a_promise_in_old_news_is_not_the_repositorys_state():
    news = (
        "# ParaSampler\n\n## News\n\n- **2025-06-10** The code is available now!\n"
        "- **2025-04-22** The code is scheduled to be released in June.\n"
    )
    sampler = "import torch\n\n\ndef sample(model, steps):\n    x = torch.randn(1)\n    return x\n" * 3
    files = {"README.md": news, "sampler/solver.py": sampler, "run_lsun.py": sampler}
    assert run("code", files).outcome is Outcome.PASS
    # the latest news is the promise: still a placeholder
    latest = "# ParaSampler\n\n## News\n\n- **2025-04-22** The code will be released soon.\n- **2025-01-23** Accepted.\n"
    assert run("code", {**files, "README.md": latest}).outcome is Outcome.FAIL


def test_an_unticked_todo_to_release_the_code_makes_helpers_a_placeholder():
    text = "# MeshStyle\n\n## TODO\n\n- [ ] Release of model code.\n- [x] Release of the paper.\n"
    helper = "import clip\n\n\ndef load(name):\n    return clip.load(name)\n" * 2
    result = run("code", {"README.md": text, "utils.py": helper})
    assert result.outcome is Outcome.FAIL and result.evidence[0].note == "- [ ] Release of model code."
    done = text.replace("- [ ] Release of model code.", "- [x] Release of model code.")
    assert run("code", {"README.md": done, "utils.py": helper}).outcome is Outcome.PASS


def test_stubs_and_code_in_another_repository_make_a_placeholder():
    text = (
        "# MGGA\n\nRegistration guided by a segmentation foundation model.\n\n"
        "The code is available at: https://github.com/lab/mgga-code.\n"
    )
    files = {
        "README.md": text,
        "train.py": '"""training file"""\n',
        "test.py": '"""testing file"""\n',
        "models/encoder.py": MODEL_PY,
    }
    result = run("code", files)
    assert result.outcome is Outcome.FAIL and "placeholder" in result.message
    assert result.evidence[0].url == "https://github.com/lab/mgga-code"
    assert run("training-code", files).outcome is Outcome.FAIL  # a train.py stub says it trains


def test_a_modified_copy_of_a_framework_at_the_root_is_the_projects_code():
    trainer = (
        "from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer\n\n\n"
        "class nnUNetTrainer_Long(nnUNetTrainer):\n    def __init__(self, *args, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n        self.num_epochs = 5000\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "nnunetv2"\n',
        "README.md": "# Pan-cancer segmentation\n\n```bash\nnnUNetv2_train 1 3d_fullres all -tr nnUNetTrainer_Long\n```\n",
        "nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py": TRAIN_PY,
        "nnunetv2/training/nnUNetTrainer/nnUNetTrainer_Long.py": trainer,
        "nnunetv2/inference/predict_from_raw_data.py": EVAL_PY,
    }
    assert run("code", files).outcome is Outcome.PASS
    assert run("training-code", files).outcome is Outcome.PASS
    # the same folder beside a project of another name is a vendored copy
    files["pyproject.toml"] = '[project]\nname = "pancancer"\n'
    assert run("code", files).outcome is Outcome.FAIL


# --- evaluation code ----------------------------------------------------------------------------


def test_metrics_script_is_evaluation_code():
    result = run("evaluation-code", complete_repo())
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "evaluate.py"


def test_a_frechet_distance_script_is_evaluation_code():
    fid = (
        "import numpy as np\nfrom scipy import linalg\n\n\n"
        "def calculate_frechet_distance(mu1, sigma1, mu2, sigma2):\n"
        "    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)\n"
        "    return ((mu1 - mu2) ** 2).sum() + np.trace(sigma1 + sigma2 - 2 * covmean)\n"
    )
    files = {"fid.py": fid, "main.py": TRAIN_PY, "vae.py": MODEL_PY}
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "fid.py"


def test_inference_notebook_is_evaluation_code():
    demo = notebook(
        "import torch\nmodel = torch.load('weights/best.pth')",
        "model.eval()\nwith torch.no_grad():\n    out = model(x)",
    )
    assert run("evaluation-code", {"demo.ipynb": demo, "m.py": MODEL_PY}).outcome is Outcome.PASS


def test_training_only_repository_has_no_evaluation_code():
    result = run("evaluation-code", {"train.py": TRAIN_PY, "models/unet.py": MODEL_PY})
    assert result.outcome is Outcome.FAIL


def test_a_training_script_that_scores_the_test_split_is_evaluation_code():
    # TensorFlow 1: the test accuracy is computed in the training loop and reported at the end
    train = (
        "import tensorflow as tf\n\n\ndef train(model, sess, data):\n"
        "    for epoch in range(200):\n"
        "        sess.run([model.optimizer, model.loss], feed_dict=data.train)\n"
        "        test_acc = sess.run(model.accuracy, feed_dict=data.test)\n"
        "    print('final test acc: %.4f' % test_acc)\n"
    )
    result = run("evaluation-code", {"src/train.py": train, "src/model.py": MODEL_PY})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "src/train.py"


def test_pytest_suite_is_not_evaluation_code():
    unit = "import pytest\nfrom model import UNet\n\ndef test_shape():\n    assert UNet(1, 2)\n"
    files = {"tests/test_model.py": unit, "train.py": TRAIN_PY}
    assert run("evaluation-code", files).outcome is Outcome.FAIL


def test_project_page_template_is_not_code():
    page = {
        "index.html": "<html><body>MedSeg</body></html>\n",
        "static/js/index.js": "window.onload = () => {\n  init();\n};\n" * 5,
        "static/js/bulma-slider.min.js": "!function(t){" + "x" * 300 + "}\n",
        "README.md": "# MedSeg\n\nCode coming soon.\n",
    }
    assert run("code", page).outcome is Outcome.FAIL
    app = {
        **page,
        "package.json": '{"name": "viewer"}\n',
        "README.md": "# MedSeg viewer\n\nA web viewer for masks.\n",
    }
    assert run("code", app).outcome is Outcome.PASS


def test_a_download_one_liner_is_not_the_papers_code():
    files = {
        "README.md": "# MedSeg\n",
        "download_weights.sh": "#!/bin/bash\nwget https://example.org/medseg.pth\n",
    }
    assert run("code", files).outcome is Outcome.FAIL


def test_runnable_script_named_for_training_counts_when_the_loop_lives_in_a_library():
    script = (
        '"""Train the diffusion segmenter."""\nimport argparse\n\nfrom guided_diffusion.train_util import TrainLoop\n\n\n'
        "def main():\n    args = argparse.ArgumentParser().parse_args()\n    TrainLoop(model=None, data=None).run_loop()\n\n\n"
        'if __name__ == "__main__":\n    main()\n'
    )
    files = {"scripts/segmentation_train.py": script, "guided_diffusion/train_util.py": TRAIN_PY}
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "scripts/segmentation_train.py"


def test_a_lone_helper_with_code_promised_is_still_a_placeholder():
    text = "# FusionNet\n\nThis repository holds only the core module for review.\n\nThe full code will be released upon acceptance.\n"
    files = {"README.md": text, "models/fusion_block.py": MODEL_PY}
    result = run("code", files)
    assert result.outcome is Outcome.FAIL
    assert result.evidence[0].line == 5
    with_training = {**files, "train.py": TRAIN_PY}
    assert run("code", with_training).outcome is Outcome.PASS


def test_a_repository_that_is_a_copied_framework_and_nothing_else_is_a_fork():
    # new decode heads inside a copied mmsegmentation, installed from the copy
    text = "# Polyp segmentation\n\n```\ncd mmsegmentation\npip install -v -e .\n```\n"
    files = {
        "README.md": text,
        "mmsegmentation/setup.py": SETUP_PY,
        "mmsegmentation/mmseg/models/decode_heads/boundary_head.py": MODEL_PY,
        "mmsegmentation/tools/train.py": TRAIN_PY,
        "mmsegmentation/tools/test.py": EVAL_PY,
    }
    assert run("code", files).outcome is Outcome.PASS
    assert run("training-code", files).outcome is Outcome.PASS
    assert run("evaluation-code", files).outcome is Outcome.PASS
    # beside code of the project's own, the copy is someone else's again
    files["polyp/train.py"] = TRAIN_PY
    result = run("training-code", files)
    assert [e.path for e in result.evidence] == ["polyp/train.py"]


def test_trainer_the_readme_points_at_inside_a_vendored_framework_counts():
    trainer = "from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer\n\n\nclass dinoTrainer(nnUNetTrainer):\n    pass\n"
    text = "# MedDINO\n\n### Locate the trainer in\n```bash\nnnUNet/nnunetv2/training/nnUNetTrainer/dinoTrainer.py\n```\n"
    files = {
        "README.md": text,
        "nnUNet/nnunetv2/training/nnUNetTrainer/dinoTrainer.py": trainer,
        "nnUNet/nnunetv2/run/run_training.py": TRAIN_PY,
        "inference/demo.py": EVAL_PY,
    }
    result = run("training-code", files)
    assert result.outcome is Outcome.PASS
    assert [e.path for e in result.evidence] == ["nnUNet/nnunetv2/training/nnUNetTrainer/dinoTrainer.py"]


def test_partial_tree_without_training_code_is_unknown():
    files = {"README.md": "# Demo\n", "predict.py": EVAL_PY}
    assert run("training-code", files, truncated=True).outcome is Outcome.UNKNOWN


def test_a_template_that_times_your_model_is_not_the_methods_code():
    speed = (
        "import time\nimport torch\n\n\ndef benchmark():\n    model = your_model().cuda().eval()\n"
        "    x = torch.randn(1, 1, 96, 96, 96).cuda()\n    start = time.time()\n    with torch.no_grad():\n"
        "        for _ in range(100):\n            model(x)\n    print((time.time() - start) / 100)\n"
    )
    files = {
        "README.md": "# VesselSeg\n\nThe code will be released after acceptance.\n",
        "eval_speed.py": speed,
    }
    assert run("evaluation-code", files).outcome is Outcome.FAIL
    result = run("code", files)
    assert result.outcome is Outcome.FAIL and "placeholder" in result.message


@pytest.mark.parametrize(
    ("line", "template"),
    [
        ("    model = YourNet(num_classes=2)\n", True),
        ("    # TODO: replace this with your own model\n", True),
        ("    model = self.your_model(cfg)\n", True),
        ("    model = build_your_model(cfg)\n", False),  # a name of the project's own, ending so
    ],
)
def test_a_training_loop_written_for_the_readers_own_model_is_not_the_methods(line: str, template: bool):
    train = (
        "import torch\n\n\ndef train(loader):\n" + line + "    opt = torch.optim.Adam(model.parameters())\n"
        "    for x, y in loader:\n        opt.zero_grad()\n        model(x).sum().backward()\n        opt.step()\n"
    )
    files = {"README.md": "# Seg\n", "train.py": train}
    assert (run("training-code", files).outcome is Outcome.FAIL) == template


def test_a_librarys_test_suite_is_its_evaluation_code():
    readme_text = "# volkit\n\nResampling for volumes.\n\n```bash\npip install volkit\n```\n"
    test = "import numpy as np\nfrom volkit import resample\n\n\ndef test_resample():\n    assert resample(np.zeros((4, 4, 4)), 2).shape == (2, 2, 2)\n"
    ops = "import numpy as np\n\n\ndef resample(volume, factor):\n    return volume[::factor, ::factor, ::factor]\n"
    files = {
        "README.md": readme_text,
        "pyproject.toml": '[project]\nname = "volkit"\n',
        "volkit/ops.py": ops,
        "tests/test_ops.py": test,
    }
    result = run("evaluation-code", files)
    assert result.outcome is Outcome.PASS and "test suite" in result.message
    # a method's unit tests are not the evaluation of its paper
    files["README.md"] = "# VesselNet\n\nVessel segmentation.\n"
    files["pyproject.toml"] = '[project]\nname = "vesselnet-paper"\n'
    method = run("evaluation-code", files)
    assert method.outcome is Outcome.FAIL and "test suite" not in method.message


def test_an_r_packages_testthat_tests_are_unit_tests_not_code_a_user_runs():
    """R's unit tests live in tests/testthat/test-*.R, run by tests/testthat.R: neither is the
    evaluation of a method nor a script its user runs."""
    seg = "segment <- function(img, k) {\n  kmeans(img, k)$cluster\n}\n" * 5
    tests = {
        "tests/testthat.R": 'library(testthat)\nlibrary(segR)\n\ntest_check("segR")\n' * 3,
        "tests/testthat/test-segment.R": 'test_that("segment labels voxels", {\n  expect_equal(1, 1)\n})\n'
        * 5,
    }
    files = {"README.md": "# segR\n\nA segmentation method for MRI.\n", "R/segment.R": seg, **tests}
    result = run("evaluation-code", files)
    assert not any(e.path.startswith("tests/") for e in result.evidence), result.evidence
    # the same code run by a script of its own is evaluated by it
    files["scripts/evaluate.R"] = (
        "library(segR)\nscores <- dice(segment(img, 3), truth)\nprint(mean(scores))\n" * 5
    )
    assert any(e.path == "scripts/evaluate.R" for e in run("evaluation-code", files).evidence)
