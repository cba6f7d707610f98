"""Realistic pieces of medical-imaging research repositories, written for these tests.

Each constant is one file as such repositories hold it; `complete_repo()` assembles a repository
that does everything a reviewer asks, and tests take pieces away or swap them for the traps seen
in real repositories (README-only placeholders, missing scripts, vendored copies, LFS pointers...).
"""

from __future__ import annotations

import json

TRAIN_PY = '''"""Train the boundary-aware U-Net on a prepared dataset."""
import argparse

import torch
from torch.utils.data import DataLoader

from data.dataset import SliceDataset
from models.unet import UNet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    model = UNet(in_channels=1, classes=4).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    loader = DataLoader(SliceDataset("data/processed", split="train"), batch_size=16, shuffle=True)
    for epoch in range(args.epochs):
        model.train()
        for image, mask in loader:
            loss = torch.nn.functional.cross_entropy(model(image.cuda()), mask.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        torch.save(model.state_dict(), f"checkpoints/epoch_{epoch}.pth")


if __name__ == "__main__":
    main()
'''

EVAL_PY = '''"""Compute Dice and HD95 of a trained checkpoint on the test split."""
import argparse

import torch
from monai.metrics import DiceMetric, HausdorffDistanceMetric

from data.dataset import SliceDataset
from models.unet import UNet


def evaluate(checkpoint):
    model = UNet(in_channels=1, classes=4)
    model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    model.eval()
    dice, hd95 = DiceMetric(), HausdorffDistanceMetric(percentile=95)
    with torch.no_grad():
        for image, mask in SliceDataset("data/processed", split="test"):
            pred = model(image[None]).argmax(1)
            dice(pred, mask)
            hd95(pred, mask)
    return dice.aggregate().item(), hd95.aggregate().item()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", required=True)
    print(evaluate(parser.parse_args().checkpoint))
'''

MODEL_PY = """import torch
from torch import nn


class UNet(nn.Module):
    def __init__(self, in_channels, classes, width=32):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        return self.head(self.down(x))
"""

DATASET_PY = """from pathlib import Path

import numpy as np
import torch


class SliceDataset(torch.utils.data.Dataset):
    def __init__(self, root, split):
        self.files = sorted(Path(root, split).glob("*.npz"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        item = np.load(self.files[i])
        return torch.from_numpy(item["image"]), torch.from_numpy(item["mask"])
"""

PREPROCESS_PY = '''"""Resample the raw NIfTI volumes to 1 mm and cut them into 2D slices."""
import sys

import nibabel as nib
import numpy as np

for path in sys.argv[1:]:
    volume = nib.load(path).get_fdata()
    np.savez_compressed(path.replace(".nii.gz", ".npz"), image=volume)
'''


def notebook(*cells: str) -> str:
    """An .ipynb file with one code cell per argument, as Jupyter writes it."""
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": [line + "\n" for line in c.splitlines()]}
                for c in cells
            ],
            "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )


TRAIN_NOTEBOOK = notebook(
    "import torch\nfrom torchvision.models import resnet50",
    "model = resnet50(num_classes=4)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)",
    "for images, labels in train_loader:\n    loss = criterion(model(images), labels)\n"
    "    loss.backward()\n    optimizer.step()",
)

MIT_LICENSE = """MIT License

Copyright (c) 2024 Medical Imaging Lab

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""

APACHE_LICENSE = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.
"""

BSD3_LICENSE = """BSD 3-Clause License

Copyright (c) 2023, Vision Lab

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
"""

GPL3_LICENSE = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
"""

CC_BY_NC_SA_LICENSE = """Attribution-NonCommercial-ShareAlike 4.0 International

Creative Commons Corporation ("Creative Commons") is not a law firm and
does not provide legal services or legal advice.
"""

RESEARCH_ONLY_LICENSE = """Copyright (c) 2024 University Hospital Imaging Group. All rights reserved.

This code is provided for academic research purposes only. Any commercial use requires
a separate written agreement with the copyright holder.
"""

REQUIREMENTS_PINNED = """# exported from the training machine
torch==2.1.2
torchvision==0.16.2
monai==1.3.0
nibabel==5.2.0
numpy==1.26.3
scikit-image==0.22.0
"""

REQUIREMENTS_LOOSE = """torch>=1.13
torchvision
monai
nibabel
numpy
scikit-image
"""

ENVIRONMENT_YML = """name: segtool
channels:
  - pytorch
  - conda-forge
dependencies:
  - python=3.10
  - pytorch=2.1.2
  - torchvision=0.16.2
  - numpy=1.26.3
  - pip
  - pip:
      - monai==1.3.0
      - nibabel==5.2.0
"""

SETUP_PY = """from setuptools import find_packages, setup

setup(
    name="segtool",
    version="0.1.0",
    packages=find_packages(),
    install_requires=["torch>=2.0", "monai", "nibabel"],
    license="MIT",
)
"""

LFS_POINTER = """version https://git-lfs.github.com/spec/v1
oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
size 124998336
"""

BIBTEX = """```bibtex
@inproceedings{doe2024boundary,
  title={Boundary-Aware Segmentation of Cardiac MRI},
  author={Doe, Jane and Roe, Richard},
  booktitle={Medical Image Computing and Computer Assisted Intervention (MICCAI)},
  year={2024}
}
```
"""

README_TITLE = """# SegTool: Boundary-Aware Segmentation of Cardiac MRI

Official PyTorch implementation of our MICCAI 2024 paper
([arXiv](https://arxiv.org/abs/2401.00001)).

![Overview](assets/overview.png)
"""

README_INSTALL = """## Installation

```bash
git clone https://github.com/lab/segtool.git
cd segtool
conda create -n segtool python=3.10
conda activate segtool
pip install -r requirements.txt
```
"""

README_DATA = """## Data preparation

Download the ACDC dataset from the
[challenge website](https://www.creatis.insa-lyon.fr/Challenge/acdc/databases.html) and
convert it into 2D slices:

```bash
python tools/preprocess.py /path/to/ACDC/*.nii.gz
```
"""

README_TRAIN = """## Training

```bash
python train.py --config configs/acdc.yaml --epochs 200
```
"""

README_EVAL = """## Evaluation

```bash
python evaluate.py --checkpoint checkpoints/segtool_acdc.pth
```
"""

README_WEIGHTS = """## Pretrained weights

| Dataset | Checkpoint |
| --- | --- |
| ACDC | [segtool_acdc.pth](https://huggingface.co/lab/segtool/resolve/main/segtool_acdc.pth) |
"""

README_RESULTS = """## Results

| Method | Dice (%) | HD95 (mm) |
| --- | --- | --- |
| U-Net | 89.71 | 3.42 |
| SegTool (ours) | **91.85** | **2.10** |
"""

README_CITATION = "## Citation\n\nIf you use this code, please cite:\n\n" + BIBTEX


def readme(*sections: str) -> str:
    return "\n".join([README_TITLE, *sections])


def complete_repo() -> dict[str, str | bytes | object]:
    """A repository that gives a reader everything: code, environment, weights, data, results."""
    return {
        "README.md": readme(
            README_INSTALL,
            README_DATA,
            README_TRAIN,
            README_EVAL,
            README_WEIGHTS,
            README_RESULTS,
            README_CITATION,
        ),
        "LICENSE": MIT_LICENSE,
        "requirements.txt": REQUIREMENTS_PINNED,
        "train.py": TRAIN_PY,
        "evaluate.py": EVAL_PY,
        "models/unet.py": MODEL_PY,
        "models/__init__.py": "",
        "data/dataset.py": DATASET_PY,
        "tools/preprocess.py": PREPROCESS_PY,
        "configs/acdc.yaml": "model: unet\nlr: 0.0003\nbatch_size: 16\n",
        "assets/overview.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }
