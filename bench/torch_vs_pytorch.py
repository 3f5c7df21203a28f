"""PyTorch side of the TorchVsPyTorch benchmark: the same 784-256-256-10 MLP step as the bare TorchSharp loop.

Run with Debian's python3-torch: /usr/bin/python3 bench/torch_vs_pytorch.py STEPS ROUNDS THREADS
Prints one JSON object: {"torch", "threads", "steps", "msPerStep": [...]}.
"""
import json
import sys
import time

import torch

steps, rounds, threads = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(1)
g = torch.Generator().manual_seed(1)
x_all = torch.randn(4096, 784, generator=g)
y_all = torch.randint(0, 10, (4096,), generator=g)
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = torch.nn.CrossEntropyLoss()


def run(n):
    start = time.perf_counter()
    for t in range(n):
        idx = torch.randint(0, 4096, (64,), generator=g)
        opt.zero_grad()
        loss = loss_fn(model(x_all[idx]), y_all[idx])
        loss.backward()
        opt.step()
        loss.item()
    return (time.perf_counter() - start) / n * 1000


run(50)
print(json.dumps({"torch": torch.__version__, "threads": threads, "steps": steps, "msPerStep": [run(steps) for _ in range(rounds)]}))
