#!/usr/bin/python3
"""Generates LrDoctor's labelled corpus of training runs (plain PyTorch part).

Every run is a real training run of a small model on a small data set, on CPU, one thread. At fixed fractions of the
run the exact state (model, optimizer, step counter = scheduler and data position, torch RNG) is snapshotted; after the
run every snapshot is continued under each treatment a symptom prescribes, and the run's labels are the treatments that
beat continuing unchanged on the final validation loss (rules in README.md, next to this file).

Usage (Debian's python3 with python3-torch, python3-sklearn, python3-numpy; nothing is downloaded):

    nice -n 15 /usr/bin/python3 bench/corpus/generate.py            # every run missing from runs/, then labels.jsonl
    nice -n 15 /usr/bin/python3 bench/corpus/generate.py --only ID   # one run (replaces it)
    /usr/bin/python3 bench/corpus/generate.py --list                 # the planned run ids and configurations
    /usr/bin/python3 bench/corpus/generate.py --verify ID            # checks that a branch with factor 1 replays the run bit for bit

One file per run: runs/<id>.csv.gz (every step) and labels/<id>.json (configuration, labels, branch evidence);
labels.jsonl is the concatenation, rebuilt at the end. Runs already present are skipped, so an interrupted
generation resumes where it stopped.
"""

import argparse
import copy
import glob
import gzip
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn import datasets as skd

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = os.path.join(HERE, "runs")
LABELS = os.path.join(HERE, "labels")
BRANCH_FRACTIONS = (0.1, 0.25, 0.5, 0.75)
ALT_ORDER = 7919  # added to the data-order seed for the seed-noise continuation
CORPUS_SEED = 20261204
VERSION = "lrdoctor-corpus-v1"


# ----------------------------------------------------------------------------------------------------------- data sets
def _split(x, y, seed, val_fraction=0.25):
    rng = np.random.RandomState(seed)
    idx = rng.permutation(len(x))
    nv = max(5, int(round(len(x) * val_fraction)))
    return x[idx[nv:]], y[idx[nv:]], x[idx[:nv]], y[idx[:nv]]


def _standardize(xtr, xva):
    mu = xtr.mean(0)
    sd = xtr.std(0)
    sd[sd == 0] = 1.0
    return (xtr - mu) / sd, (xva - mu) / sd


_TEXT = None


def _text():
    """The char-level text: the data-set descriptions that ship with sklearn (about 50 KB of English)."""
    global _TEXT
    if _TEXT is None:
        folder = os.path.join(os.path.dirname(skd.__file__), "descr")
        parts = []
        for name in sorted(os.listdir(folder)):
            if name.endswith(".rst"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    parts.append(f.read())
        _TEXT = "\n".join(parts)
    return _TEXT


_DATA_CACHE = {}


def load_dataset(name):
    """Returns a dict: kind (cls, reg, seq), tensors and sizes. Deterministic."""
    if name in _DATA_CACHE:
        return _DATA_CACHE[name]
    d = {"name": name}
    if name == "text":
        text = _text()
        chars = sorted(set(text))
        ids = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
        cut = int(len(ids) * 0.9)
        d.update(kind="seq", vocab=len(chars), train=ids[:cut], val=ids[cut:], n=cut)
        _DATA_CACHE[name] = d
        return d
    kind = "cls"
    if name == "digits":
        x, y = skd.load_digits(return_X_y=True)
        x = x / 16.0
    elif name == "iris":
        x, y = skd.load_iris(return_X_y=True)
    elif name == "wine":
        x, y = skd.load_wine(return_X_y=True)
    elif name == "breast_cancer":
        x, y = skd.load_breast_cancer(return_X_y=True)
    elif name == "moons":
        x, y = skd.make_moons(n_samples=1000, noise=0.25, random_state=3)
    elif name == "classification":
        x, y = skd.make_classification(n_samples=2000, n_features=20, n_informative=8, n_redundant=4, n_classes=4,
                                       class_sep=1.0, flip_y=0.03, random_state=5)
    elif name in ("diabetes", "diabetes_raw"):
        x, y = skd.load_diabetes(return_X_y=True)
        kind = "reg"
    elif name == "linnerud":
        x, y = skd.load_linnerud(return_X_y=True)
        kind = "reg"
    elif name == "noisy_regression":
        x, y = skd.make_regression(n_samples=1000, n_features=10, n_informative=6, noise=25.0, random_state=7)
        kind = "reg"
    else:
        raise ValueError(f"unknown data set {name}")
    x = x.astype(np.float64)
    xtr, ytr, xva, yva = _split(x, y, seed=11)
    if name != "digits":
        xtr, xva = _standardize(xtr, xva)
    if kind == "reg":
        ytr = ytr.reshape(len(ytr), -1).astype(np.float64)
        yva = yva.reshape(len(yva), -1).astype(np.float64)
        if name != "diabetes_raw":  # the raw targets (about 150) give a huge first loss on purpose
            mu, sd = ytr.mean(0), ytr.std(0)
            ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
        d.update(out=ytr.shape[1], ytr=torch.tensor(ytr, dtype=torch.float32), yva=torch.tensor(yva, dtype=torch.float32))
    else:
        d.update(out=int(y.max()) + 1, ytr=torch.tensor(ytr, dtype=torch.long), yva=torch.tensor(yva, dtype=torch.long))
    d.update(kind=kind, xtr=torch.tensor(xtr, dtype=torch.float32), xva=torch.tensor(xva, dtype=torch.float32),
             inp=x.shape[1], n=len(xtr))
    _DATA_CACHE[name] = d
    return d


class Batches:
    """Stateless batch order: the batch of step t is a function of (order seed, t), so the data position is the step."""

    def __init__(self, data, batch_size, context):
        self.data = data
        self.bs = batch_size
        self.ctx = context
        if data["kind"] == "seq":
            self.steps_per_epoch = max(1, data["n"] // (batch_size * context))
        else:
            self.steps_per_epoch = max(1, data["n"] // batch_size)
        self._perms = {}

    def _perm(self, seed, epoch):
        key = (seed, epoch)
        if key not in self._perms:
            if len(self._perms) > 64:
                self._perms.clear()
            self._perms[key] = np.random.RandomState((seed * 1000003 + epoch) % (2 ** 31)).permutation(self.data["n"])
        return self._perms[key]

    def get(self, t, seed):
        d = self.data
        if d["kind"] == "seq":
            rng = np.random.RandomState((seed * 1000003 + t) % (2 ** 31))
            starts = rng.randint(0, len(d["train"]) - self.ctx - 1, size=self.bs)
            x = torch.stack([d["train"][s:s + self.ctx] for s in starts])
            y = torch.stack([d["train"][s + 1:s + self.ctx + 1] for s in starts])
            return x, y
        e, i = divmod(t, self.steps_per_epoch)
        idx = torch.from_numpy(self._perm(seed, e)[i * self.bs:(i + 1) * self.bs].copy())
        return d["xtr"][idx], d["ytr"][idx]

    def epoch(self, t):
        return (t + 1) / self.steps_per_epoch

    def val_batches(self):
        d = self.data
        if d["kind"] == "seq":
            v = d["val"]
            n = min(64, (len(v) - 1) // self.ctx)
            x = torch.stack([v[i * self.ctx:(i + 1) * self.ctx] for i in range(n)])
            y = torch.stack([v[i * self.ctx + 1:(i + 1) * self.ctx + 1] for i in range(n)])
            return x, y
        return d["xva"], d["yva"]


# -------------------------------------------------------------------------------------------------------------- models
class Mlp(nn.Module):
    def __init__(self, inp, out, hidden, act, dropout):
        super().__init__()
        layers = []
        last = inp
        for h in hidden:
            layers += [nn.Linear(last, h), nn.Tanh() if act == "tanh" else nn.ReLU()]
            if dropout:
                layers.append(nn.Dropout(dropout))
            last = h
        layers.append(nn.Linear(last, out))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class Cnn(nn.Module):
    """Digits as 1x8x8 images."""

    def __init__(self, c1, c2):
        super().__init__()
        self.c1 = nn.Conv2d(1, c1, 3, padding=1)
        self.c2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc = nn.Linear(c2 * 16, 10)

    def forward(self, x):
        x = x.view(-1, 1, 8, 8)
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


class CharRnn(nn.Module):
    def __init__(self, vocab, emb, hidden, cell):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.rnn = (nn.GRU if cell == "gru" else nn.LSTM)(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.head(h)


class CharTransformer(nn.Module):
    def __init__(self, vocab, context, d_model, heads, blocks):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(context, d_model)
        layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=2 * d_model, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, blocks, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)
        self.register_buffer("mask", torch.triu(torch.full((context, context), float("-inf")), diagonal=1))

    def forward(self, x):
        t = x.shape[1]
        h = self.tok(x) + self.pos(torch.arange(t))
        h = self.blocks(h, mask=self.mask[:t, :t])
        return self.head(self.norm(h))


def build_model(cfg, data):
    m = cfg["model"]
    if m["type"] == "linear":
        return nn.Linear(data["inp"], data["out"])
    if m["type"] == "mlp":
        return Mlp(data["inp"], data["out"], m["hidden"], m.get("act", "relu"), m.get("dropout", 0.0))
    if m["type"] == "cnn":
        return Cnn(m["c1"], m["c2"])
    if m["type"] in ("gru", "lstm"):
        return CharRnn(data["vocab"], m["emb"], m["hidden"], m["type"])
    if m["type"] == "transformer":
        return CharTransformer(data["vocab"], cfg["context"], m["dModel"], m["heads"], m["blocks"])
    raise ValueError(m["type"])


def build_optimizer(cfg, params):
    o = cfg["optimizer"]
    lr = o["lr"]
    wd = o.get("weightDecay", 0.0)
    if o["type"] == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o.get("momentum", 0.0), nesterov=o.get("nesterov", False),
                               weight_decay=wd)
    if o["type"] == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if o["type"] == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd if wd else 0.01)
    if o["type"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99, momentum=o.get("momentum", 0.0), weight_decay=wd)
    raise ValueError(o["type"])


# ----------------------------------------------------------------------------------------------------------- schedules
def _cos(start, end, pct):
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def schedule_factor(spec, t, total):
    """The LR of step t as a fraction of the base LR (PyTorch / Hugging Face formulas)."""
    kind = spec["type"]
    f = 1.0
    if kind == "constant":
        f = 1.0
    elif kind == "step":
        f = spec.get("gamma", 0.1) ** (t // spec["stepSize"])
    elif kind == "cosine":
        f = 0.5 * (1 + math.cos(math.pi * min(t, total) / total))
    elif kind == "warmup_cosine":
        w = spec["warmupSteps"]
        if t < w:
            f = t / max(1, w)
        else:
            p = (t - w) / max(1, total - w)
            f = max(0.0, 0.5 * (1 + math.cos(math.pi * p)))
    elif kind == "onecycle":  # OneCycleLR, two phases, cos anneal, divFactor 25, finalDivFactor 1e4
        initial, final = 1 / 25.0, 1 / 25.0 / 1e4
        up_end = spec.get("pctStart", 0.3) * total - 1
        if t <= up_end:
            f = _cos(initial, 1.0, t / up_end)
        else:
            f = _cos(1.0, final, (t - up_end) / (total - 1 - up_end))
    else:
        raise ValueError(kind)
    exc = spec.get("excursion")
    if exc and exc["at"] <= t < exc["at"] + exc["steps"]:
        f *= exc["factor"]
    return f


# ------------------------------------------------------------------------------------------------------------ training
def loss_fn(kind, out, y):
    if kind == "reg":
        return F.mse_loss(out, y)
    if kind == "seq":
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    return F.cross_entropy(out, y)


def evaluate(model, kind, vx, vy):
    model.eval()
    with torch.no_grad():
        v = loss_fn(kind, model(vx), vy).item()
    model.train()
    return v


class Trainer:
    """Holds the pieces of one configuration; runs a segment of steps from a state."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.data = load_dataset(cfg["data"])
        self.kind = self.data["kind"]
        self.batches = Batches(self.data, cfg["batchSize"], cfg.get("context", 0))
        self.vx, self.vy = self.batches.val_batches()
        self.total = cfg["steps"]

    def fresh(self):
        torch.manual_seed(self.cfg["seed"])
        model = build_model(self.cfg, self.data)
        opt = build_optimizer(self.cfg, model.parameters())
        return model, opt

    def untrained_val(self):
        model, _ = self.fresh()
        return evaluate(model, self.kind, self.vx, self.vy)

    def run(self, model, opt, start, scale, order_seed, record=None, snapshots=None, stop_after_nonfinite=20):
        """Trains steps start..total-1 with lr = base * schedule(t) * scale; returns the final validation loss."""
        cfg = self.cfg
        base = cfg["optimizer"]["lr"]
        clip = cfg.get("gradClip")
        every = cfg["evalEvery"]
        params = [p for p in model.parameters()]
        nonfinite_at = None
        val = float("nan")
        for t in range(start, self.total):
            if snapshots is not None and t in snapshots:
                snapshots[t] = {"model": copy.deepcopy(model.state_dict()), "opt": copy.deepcopy(opt.state_dict()),
                                "rng": torch.get_rng_state()}
            lr = base * schedule_factor(cfg["schedule"], t, self.total) * scale
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = self.batches.get(t, order_seed)
            loss = loss_fn(self.kind, model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(params, clip if clip else float("inf")).item()
            opt.step()
            lv = loss.item()
            val_now = None
            if (t + 1) % every == 0 or t == self.total - 1:
                val_now = evaluate(model, self.kind, self.vx, self.vy)
                val = val_now
            if record is not None:
                record.append((t, lv, val_now, lr, gn, self.batches.epoch(t)))
            if not math.isfinite(lv) and nonfinite_at is None:
                nonfinite_at = t
            if nonfinite_at is not None and t - nonfinite_at >= stop_after_nonfinite:
                return float("inf")  # the run is dead; the log ends here as a crashed run's would
        return val if math.isfinite(val) else float("inf")

    def branch(self, snap, start, scale, order_seed):
        model, opt = self.fresh()
        model.load_state_dict(snap["model"])
        opt.load_state_dict(snap["opt"])
        torch.set_rng_state(snap["rng"])
        return self.run(model, opt, start, scale, order_seed)


# -------------------------------------------------------------------------------------------------------------- labels
def _finite(v):
    return v if (v is not None and math.isfinite(v)) else float("inf")


def blowup_index(losses, untrained):
    """The index of the first non-finite loss, or of the first loss above 3x the untrained validation loss whose 5-step
    median is above it too (a single hard batch is not a blow-up); None when the run never blew up."""
    for i, v in enumerate(losses):
        if not math.isfinite(v):
            return i
        if v > 3 * untrained:
            win = losses[i:i + 5]
            if not np.all(np.isfinite(win)) or np.median(win) > 3 * untrained:
                return i
    return None


def label_run(cfg, rows, untrained, branches):
    """Applies the rules of README.md to one run. rows: (t, loss, val, lr, grad, epoch); branches: per branch step."""
    total = cfg["steps"]
    losses = np.array([r[1] for r in rows], dtype=np.float64)
    evals = [(r[0], r[2]) for r in rows if r[2] is not None]
    final = _finite(evals[-1][1]) if evals else float("inf")
    if len(rows) < total:
        final = float("inf")
    noise = 0.0
    for b in branches:
        if "continueAltSeed" in b and math.isfinite(b["continueAltSeed"]) and math.isfinite(final):
            noise = max(noise, abs(b["continueAltSeed"] - final))
    margin = max(3 * noise, 0.05 * abs(final) if math.isfinite(final) else 0.0, 1e-3)
    labels = []

    # Blow-up: the first non-finite loss or loss above 3x the untrained loss.
    bad = blowup_index(losses, untrained)
    blowup = None
    if bad is not None:
        onset = int(rows[bad][0])
        before = [b for b in branches if "rollbackCut10" in b]
        if before:
            b = before[-1]
            helped = b["rollbackCut10"] < final - margin
            blowup = {"onsetStep": onset, "rollbackFrom": b["step"], "rollbackCut10": b["rollbackCut10"],
                      "helped": bool(helped), "nonFinite": not math.isfinite(losses[bad])}
            if helped:
                labels.append({"symptom": "nan_explosion", "onsetStep": onset, "rule": "first non-finite or >3x untrained step; rollback+cut10 beats continuing"})

    # Spike: a recovered excursion (not a blow-up that needed the rollback).
    spikes = []
    if not labels:
        i = 50
        while i < len(losses) - 5:
            prev = losses[i - 50:i]
            win = losses[i:i + 5]
            if np.all(np.isfinite(prev)) and np.all(np.isfinite(win)):
                level = prev.mean()
                if np.median(win) > max(2 * level, 0.5 * untrained) and losses[i] > 2 * level:
                    spikes.append(int(rows[i][0]))
                    i += 50
                    continue
            i += 1
        if spikes:
            labels.append({"symptom": "spike", "onsetStep": spikes[0], "events": spikes,
                           "rule": "5-step median above 2x the previous 50-step mean and above half the untrained loss, not a blow-up"})

    # Treatments at the branch points.
    blown = blowup is not None and blowup["helped"]
    for name, keys in (("too_slow", ("raise3",)), ("lr_high", ("cut3", "cut10"))):
        for b in branches:
            if blown and b["step"] >= blowup["onsetStep"]:
                break
            vals = {k: b[k] for k in keys if k in b}
            if not vals:
                continue
            best_key = min(vals, key=lambda k: vals[k])
            if vals[best_key] < final - margin:
                if name == "too_slow":
                    labels.append({"symptom": "too_slow", "onsetStep": b["step"], "treatment": best_key,
                                   "rule": "raising the LR 3x in place beats continuing"})
                else:
                    symptom = "oscillation" if best_key == "cut3" else "plateau"
                    if not any(l["symptom"] in ("oscillation", "plateau") for l in labels):
                        labels.append({"symptom": symptom, "onsetStep": b["step"], "treatment": best_key,
                                       "rule": "cutting the LR in place beats continuing: 3x best = oscillation, 10x best = plateau"})
                break

    # Divergence: stopping early (best validation so far) beats continuing while the training loss keeps falling.
    if not blown:
        tail = max(1, total // 20)
        for b in branches:
            k = b["step"]
            so_far = [(s, v) for s, v in evals if s < k and v is not None and math.isfinite(v)]
            if not so_far:
                continue
            s_best, v_best = min(so_far, key=lambda e: e[1])
            b["stopBest"], b["stopBestStep"] = v_best, s_best
            before = losses[max(0, k - tail):k]
            after = losses[-tail:]
            falling = np.all(np.isfinite(after)) and np.all(np.isfinite(before)) and after.mean() < 0.95 * before.mean()
            if v_best < final - margin and falling:
                labels.append({"symptom": "train_val_divergence", "onsetStep": int(s_best), "decidedAt": k,
                               "rule": "stopping at the best validation loss so far beats continuing; train loss still falling"})
                break

    labels.sort(key=lambda l: l["onsetStep"])
    return labels, {"finalValLoss": final, "seedNoise": noise, "margin": margin, "untrainedValLoss": untrained,
                    "blowup": blowup, "branches": branches}


# -------------------------------------------------------------------------------------------------------------- a run
def generate(cfg):
    tr = Trainer(cfg)
    total = cfg["steps"]
    untrained = tr.untrained_val()
    points = sorted({max(1, int(round(f * total))) for f in BRANCH_FRACTIONS})
    snaps = {p: None for p in points}
    snaps[0] = None
    model, opt = tr.fresh()
    rows = []
    t0 = time.time()
    tr.run(model, opt, 0, 1.0, cfg["seed"], record=rows, snapshots=snaps)
    base_s = time.time() - t0
    losses = np.array([r[1] for r in rows], dtype=np.float64)
    bad = blowup_index(losses, untrained)
    dead = len(rows) < total  # stopped after a non-finite loss
    branches = []
    for p in sorted(snaps):
        s = snaps[p]
        if s is None:
            continue
        b = {"step": p, "fraction": round(p / total, 4)}
        if bad is not None:
            # A blow-up: the rollback target is the last snapshot before it (step 0 = the untrained model).
            nxt = [q for q in snaps if snaps[q] is not None and (q < bad or q == 0)]
            if p == max(nxt):
                b["rollbackCut10"] = tr.branch(s, p, 0.1, cfg["seed"])
            if dead and p >= bad:
                continue
        if p == 0:
            if "rollbackCut10" in b:
                branches.append(b)
            continue
        b["continueAltSeed"] = tr.branch(s, p, 1.0, cfg["seed"] + ALT_ORDER)
        for name, scale in (("cut3", 1 / 3), ("cut10", 0.1), ("raise3", 3.0)):
            b[name] = tr.branch(s, p, scale, cfg["seed"])
        branches.append(b)
    labels, evidence = label_run(cfg, rows, untrained, branches)
    evidence["seconds"] = round(time.time() - t0, 2)
    evidence["baseSeconds"] = round(base_s, 2)
    return rows, labels, evidence, tr.batches.steps_per_epoch


def write_run(cfg, rows, labels, evidence, steps_per_epoch):
    os.makedirs(RUNS, exist_ok=True)
    os.makedirs(LABELS, exist_ok=True)
    path = os.path.join(RUNS, cfg["id"] + ".csv.gz")
    tmp = path + ".tmp"
    with gzip.GzipFile(tmp, "wb", mtime=0) as raw:
        lines = ["step,train_loss,val_loss,lr,grad_norm,epoch"]
        digits = cfg.get("roundDecimals")

        def fmt(v):
            if v is None:
                return ""
            if digits is not None and math.isfinite(v):
                return f"{v:.{digits}f}"  # the log as a framework printing 4 decimals wrote it
            return repr(v)

        for t, loss, val, lr, gn, ep in rows:
            lines.append(f"{t},{fmt(loss)},{fmt(val)},{lr!r},{gn!r},{ep:.6g}")
        raw.write(("\n".join(lines) + "\n").encode())
    os.replace(tmp, path)
    meta = {"id": cfg["id"], "engine": "pytorch", "file": "runs/" + cfg["id"] + ".csv.gz", "steps": cfg["steps"],
            "loggedSteps": len(rows), "stepsPerEpoch": steps_per_epoch, "logEvery": cfg["logEvery"],
            "evalEvery": cfg["evalEvery"], "roundDecimals": cfg.get("roundDecimals"), "scenario": cfg["scenario"],
            "healthy": len(labels) == 0, "labels": labels, "config": cfg, "evidence": evidence}
    lp = os.path.join(LABELS, cfg["id"] + ".json")
    with open(lp + ".tmp", "w") as f:
        json.dump(meta, f, sort_keys=True, allow_nan=True)
    os.replace(lp + ".tmp", lp)


# -------------------------------------------------------------------------------------------------------------- plan
GOOD_LR = {  # a sensible LR per optimizer family for these small models; scenarios scale it
    "sgd": 0.3, "sgdm": 0.1, "adam": 1e-2, "adamw": 1e-2, "rmsprop": 3e-3,
}
TABULAR = ["digits", "iris", "wine", "breast_cancer", "moons", "classification", "diabetes", "noisy_regression"]
SMALL = ["iris", "wine", "linnerud", "breast_cancer"]


def _opt(rng, name, lr):
    if name == "sgd":
        return {"type": "sgd", "lr": lr}
    if name == "sgdm":
        return {"type": "sgd", "lr": lr, "momentum": 0.9, "nesterov": bool(rng.random() < 0.3)}
    if name == "adamw":
        return {"type": "adamw", "lr": lr, "weightDecay": rng.choice([0.01, 0.05, 0.1])}
    return {"type": name, "lr": lr}


def _schedule(rng, name, steps):
    if name == "step":
        return {"type": "step", "stepSize": max(1, steps // rng.choice([3, 4])), "gamma": 0.1}
    if name == "cosine":
        return {"type": "cosine"}
    if name == "warmup_cosine":
        return {"type": "warmup_cosine", "warmupSteps": max(1, int(steps * rng.choice([0.02, 0.04, 0.05])))}
    if name == "onecycle":
        return {"type": "onecycle", "pctStart": rng.choice([0.25, 0.3])}
    return {"type": "constant"}


def _model(rng, family, data):
    if family == "linear":
        return {"type": "linear"}
    if family == "mlp":
        return {"type": "mlp", "hidden": rng.choice([[32], [64], [64, 32], [128, 64]]), "act": rng.choice(["relu", "tanh"]),
                "dropout": rng.choice([0.0, 0.0, 0.1])}
    if family == "cnn":
        return {"type": "cnn", "c1": rng.choice([4, 8]), "c2": rng.choice([8, 16])}
    if family in ("gru", "lstm"):
        return {"type": family, "emb": 16, "hidden": rng.choice([24, 32])}
    return {"type": "transformer", "dModel": 32, "heads": 2, "blocks": rng.choice([1, 2])}


SCENARIOS = [
    # name, weight, lr multiplier range (log-uniform), schedules allowed
    ("good", 28, (0.5, 2.0), ["cosine", "warmup_cosine", "onecycle", "step", "constant"]),
    ("good_adamw_long_constant", 5, (0.5, 1.0), ["constant"]),
    ("good_staircase", 4, (0.7, 1.5), ["step"]),
    ("good_warmup_bump", 4, (2.0, 3.0), ["warmup_cosine"]),
    ("good_huge_first_loss", 3, (0.5, 1.0), ["cosine", "constant"]),
    ("good_noisy_small_batch", 4, (0.3, 0.7), ["cosine", "constant"]),
    ("good_tiny_loss_rounded", 4, (1.0, 2.0), ["cosine", "onecycle"]),
    ("good_grad_spikes_clipped", 3, (1.0, 2.0), ["cosine", "constant"]),
    ("far_too_high", 9, (30.0, 300.0), ["constant", "cosine", "warmup_cosine", "onecycle", "step"]),
    ("high", 10, (4.0, 15.0), ["constant", "cosine", "step"]),
    ("excursion", 5, (0.7, 1.5), ["constant", "cosine"]),
    ("too_low", 10, (0.003, 0.05), ["constant", "cosine", "step", "warmup_cosine"]),
    ("constant_too_long", 6, (1.0, 3.0), ["constant"]),
    ("overfit_small_data", 8, (1.0, 3.0), ["constant", "cosine"]),
]


def plan(n_runs):
    """The whole corpus as a deterministic list of configurations."""
    rng = random.Random(CORPUS_SEED)
    weights = [s[1] for s in SCENARIOS]
    families = ["linear", "linear", "linear", "mlp", "mlp", "mlp", "mlp", "mlp", "cnn", "cnn", "cnn", "gru", "lstm",
                "transformer"]
    optimizers = ["sgd", "sgdm", "adam", "adamw", "rmsprop"]
    runs = []
    for i in range(n_runs):
        name, _, (lo, hi), schedules = rng.choices(SCENARIOS, weights=weights)[0]
        family = rng.choice(families)
        opt_name = rng.choice(optimizers)
        if name == "good_adamw_long_constant":
            opt_name = "adamw"
        if name == "overfit_small_data" and family in ("cnn", "gru", "lstm", "transformer"):
            family = "mlp"
        # data set
        if family == "cnn":
            data = "digits"
        elif family in ("gru", "lstm", "transformer"):
            data = "text"
        elif name == "overfit_small_data":
            data = rng.choice(SMALL)
        elif name == "good_huge_first_loss":
            data = "diabetes_raw"
        elif name == "good_tiny_loss_rounded":
            data = rng.choice(["moons", "breast_cancer", "iris", "digits"])
        else:
            data = rng.choice(TABULAR + ["linnerud"] if family == "linear" else TABULAR)
        seqish = data == "text"
        if seqish:
            steps = rng.choice([200, 250, 300])
            batch = rng.choice([8, 16])
            evalevery = rng.choice([10, 25, 50])
        else:
            steps = rng.choice([200, 300, 400, 500, 600, 800])
            batch = rng.choice([8, 16, 32, 64, 128])
            evalevery = rng.choice([10, 20, 25, 50, 100])
        if name == "good_noisy_small_batch":
            batch = rng.choice([2, 4])
        if name in ("overfit_small_data", "good_tiny_loss_rounded", "good_adamw_long_constant"):
            steps = rng.choice([800, 1000, 1200]) if not seqish else 300
        if name == "good_tiny_loss_rounded" and family == "linear":
            family = "mlp"
        if data == "linnerud" or data == "iris":
            batch = min(batch, 16)
        model = _model(rng, family, data)
        if name in ("overfit_small_data", "good_tiny_loss_rounded") and model["type"] == "mlp":
            model.update(hidden=[128, 64], dropout=0.0)
        mult = math.exp(rng.uniform(math.log(lo), math.log(hi)))
        lr = GOOD_LR[opt_name] * mult
        if family == "transformer" and opt_name in ("sgd", "sgdm"):
            lr *= 3
        sched = _schedule(rng, rng.choice(schedules), steps)
        if name == "excursion":
            sched["excursion"] = {"at": int(steps * rng.uniform(0.3, 0.7)), "steps": rng.choice([3, 5, 8]),
                                  "factor": rng.choice([10.0, 20.0, 50.0])}
        cfg = {
            "id": f"pt-{i:03d}-{data}-{model['type']}-{opt_name}-{sched['type']}",
            "scenario": name, "data": data, "model": model, "optimizer": _opt(rng, opt_name, lr),
            "lrMultiplier": round(mult, 4), "schedule": sched, "steps": steps, "batchSize": batch,
            "evalEvery": evalevery, "logEvery": rng.choice([1, 1, 1, 5, 10, 20]), "seed": rng.randrange(1, 10000),
        }
        if seqish:
            cfg["context"] = 16
        if name == "good_grad_spikes_clipped" or (seqish and rng.random() < 0.5):
            cfg["gradClip"] = 1.0
        if name == "good_tiny_loss_rounded":
            cfg["roundDecimals"] = 4
        if name == "good_noisy_small_batch":
            cfg["logEvery"] = 1
        runs.append(cfg)
    return runs


def rebuild_jsonl():
    lines = []
    for p in sorted(glob.glob(os.path.join(LABELS, "*.json"))):
        with open(p) as f:
            lines.append(json.dumps(json.load(f), sort_keys=True))
    with open(os.path.join(HERE, "labels.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=330, help="number of planned PyTorch runs (default 330)")
    ap.add_argument("--only", help="generate this run id (replacing it)")
    ap.add_argument("--list", action="store_true", help="print the plan and exit")
    ap.add_argument("--verify", help="check that a factor-1 branch replays the run bit for bit")
    ap.add_argument("--limit", type=int, help="stop after generating this many runs")
    args = ap.parse_args()
    runs = plan(args.runs)
    if args.list:
        for c in runs:
            print(json.dumps(c, sort_keys=True))
        return 0
    if args.verify:
        cfg = next(c for c in runs if c["id"] == args.verify)
        tr = Trainer(cfg)
        k = cfg["steps"] // 2
        snaps = {k: None}
        model, opt = tr.fresh()
        rows = []
        tr.run(model, opt, 0, 1.0, cfg["seed"], record=rows, snapshots=snaps)
        m2, o2 = tr.fresh()
        m2.load_state_dict(snaps[k]["model"])
        o2.load_state_dict(snaps[k]["opt"])
        torch.set_rng_state(snaps[k]["rng"])
        rows2 = []
        tr.run(m2, o2, k, 1.0, cfg["seed"], record=rows2)
        same = [r for r in rows if r[0] >= k] == rows2
        print(f"{cfg['id']}: branch at step {k} with factor 1 replays steps {k}..{cfg['steps'] - 1} bit for bit: {same}")
        return 0 if same else 1
    done = 0
    for cfg in runs:
        if args.only and cfg["id"] != args.only:
            continue
        if not args.only and os.path.exists(os.path.join(LABELS, cfg["id"] + ".json")):
            continue
        t0 = time.time()
        rows, labels, evidence, spe = generate(cfg)
        write_run(cfg, rows, labels, evidence, spe)
        syms = ",".join(f"{l['symptom']}@{l['onsetStep']}" for l in labels) or "healthy"
        print(f"{cfg['id']} [{cfg['scenario']}] {time.time() - t0:.1f}s base {evidence['baseSeconds']}s: {syms}",
              flush=True)
        done += 1
        if args.limit and done >= args.limit:
            break
    n = rebuild_jsonl()
    print(f"labels.jsonl: {n} runs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
